package dev.weft.trainer.hypar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's networks: shapes, published choices, and the committed table. */
class HyParNetworksTest {

  @TempDir Path tmp;

  @Test
  void theTenNetworksLoadWithTheirWeightedLayerCounts() throws Exception {
    int[] layers = {4, 8, 4, 5, 8, 11, 13, 16, 16, 19};
    for (int i = 0; i < layers.length; i++) {
      Network n = NetworkFile.bundled(NetworkFile.BUNDLED.get(i));
      assertThat(n.size()).as(n.name()).isEqualTo(layers[i]);
      assertThat(n.source()).as(n.name()).isNotBlank();
    }
    // Textbook weight counts (no biases): AlexNet as one ungrouped tower 62.37M (61M with the
    // original two-GPU grouping), VGG-A 132.85M, VGG-E 143.65M.
    assertThat(NetworkFile.bundled("alexnet").weights()).isEqualTo(62_367_776L);
    assertThat(NetworkFile.bundled("vgg-a").weights()).isBetween(132_800_000L, 132_900_000L);
    assertThat(NetworkFile.bundled("vgg-e").weights()).isBetween(143_600_000L, 143_700_000L);
  }

  @Test
  void publishedChoicesComeOutOrDifferForTheReasonGiven() throws Exception {
    Plan sfc = HyPar.plan(NetworkFile.bundled("sfc"), 4);
    // Paper: SFC all model parallel. Here H1, H2 and H4 are; at H3 fc1, whose 784 inputs are
    // down to 196 after two mp halvings, is cheaper data parallel (196 x 8192 weights < batch 256 x
    // 8192 partial sums).
    assertThat(sfc.allBits()).containsExactly("1111", "1111", "0111", "1111");
    assertThat(HyPar.plan(NetworkFile.bundled("sconv"), 4).allBits()).containsOnly("00000000");
    Plan lenet = HyPar.plan(NetworkFile.bundled("lenet-c"), 4);
    // Paper: 0011 at H1 and H4. H1 agrees; at H4 the batch of 64 is down to 8, and conv2's
    // partial sums (8 x 50 x 4 x 4 = 6400) are cheaper than its weight gradient (20 x 50 x 25).
    assertThat(lenet.bits(1)).isEqualTo("0011");
    assertThat(lenet.bits(4)).isEqualTo("0110");
    // Conv layers dp, FC layers mp: the VGGs at every level.
    for (String v : new String[] {"vgg-a", "vgg-b", "vgg-c", "vgg-d", "vgg-e"}) {
      Plan p = HyPar.plan(NetworkFile.bundled(v), 4);
      assertThat(p.levels())
          .allSatisfy(
              cs ->
                  assertThat(cs)
                      .isEqualTo(HyPar.convDpFcMp(NetworkFile.bundled(v), 1).levels().get(0)));
    }
  }

  @Test
  void theCommittedTableIsWhatTheCodeComputes() throws Exception {
    Path root = Path.of(System.getProperty("weft.repo.root", ".."));
    Path committed = root.resolve("benchmarks/results/hypar/table.md");
    String fresh =
        HyParTable.write(
            tmp,
            16,
            ArrayModel.defaults(),
            "./weft plan --table benchmarks/results/hypar --accelerators 16");
    assertThat(fresh).isEqualTo(Files.readString(committed, StandardCharsets.UTF_8));
  }
}
