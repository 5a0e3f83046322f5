package dev.weft.trainer.hypar;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad input gets an error that names the layer or the value. */
class HyParBadInputTest {

  static String net(String layers) {
    return "{\"name\": \"bad\", \"batch\": 8, \"layers\": [" + layers + "]}";
  }

  @Test
  void inconsistentShapesNameBothLayers() {
    assertThatThrownBy(
            () ->
                NetworkFile.parse(
                    net(
                        "{\"name\":\"fc1\",\"type\":\"fc\",\"in\":784,\"out\":500},"
                            + "{\"name\":\"fc2\",\"type\":\"fc\",\"in\":400,\"out\":10}"),
                    "bad.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining("layer 'fc2' takes input 400 but layer 'fc1' gives 500");
    assertThatThrownBy(
            () ->
                NetworkFile.parse(
                    net(
                        "{\"name\":\"c1\",\"type\":\"conv\",\"in\":[1,28,28],\"kernel\":5,"
                            + "\"conv\":[20,24,24],\"out\":[20,12,12]},"
                            + "{\"name\":\"ip1\",\"type\":\"fc\",\"in\":800,\"out\":10}"),
                    "lenet.json"))
        .hasMessageContaining("layer 'ip1' takes input 800 but layer 'c1' gives 20x12x12 (2880");
    assertThatThrownBy(
            () ->
                NetworkFile.parse(
                    net(
                        "{\"name\":\"c1\",\"type\":\"conv\",\"in\":[1,28,28],\"kernel\":5,"
                            + "\"conv\":[20,24,24],\"out\":[16,12,12]}"),
                    "x.json"))
        .hasMessageContaining("layer 'c1'")
        .hasMessageContaining("different channel counts");
  }

  @Test
  void missingOrNonsenseFieldsAreNamed() {
    assertThatThrownBy(
            () -> NetworkFile.parse(net("{\"name\":\"fc1\",\"type\":\"fc\",\"in\":784}"), "f"))
        .hasMessageContaining("layer 'fc1': 'out' is missing");
    assertThatThrownBy(
            () ->
                NetworkFile.parse(
                    net("{\"name\":\"fc1\",\"type\":\"pool\",\"in\":784,\"out\":2}"), "f"))
        .hasMessageContaining("layer 'fc1': type 'pool' is neither fc nor conv");
    assertThatThrownBy(
            () ->
                NetworkFile.parse(
                    net("{\"name\":\"fc1\",\"type\":\"fc\",\"in\":-3,\"out\":2}"), "f"))
        .hasMessageContaining("'in' = -3 is not a positive integer");
    assertThatThrownBy(() -> NetworkFile.parse("{\"name\": \"x\", \"batch\": 0}", "f"))
        .hasMessageContaining("'batch' = 0");
    assertThatThrownBy(() -> NetworkFile.parse("[1,2", "f")).hasMessageContaining("f:");
    assertThatThrownBy(() -> NetworkFile.load("no-such-net"))
        .hasMessageContaining("'no-such-net' is neither a bundled network");
  }

  @Test
  void acceleratorCountsMustBePowersOfTwo() {
    for (int n : new int[] {0, 1, 3, 12, 24, -4}) {
      assertThatThrownBy(() -> HyPar.levels(n))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("accelerator count " + n + " is not a power of two");
    }
  }

  @Test
  void aLiveLayoutThatDoesNotSplitEvenlyIsRefused() {
    Network odd = new Network("odd", 6, java.util.List.of(Layer.fc("fc1", 10, 4)), "test");
    assertThatThrownBy(() -> MlpLayout.of(odd, HyPar.allDp(odd, 2)))
        .hasMessageContaining("batch 6 does not split into 4 equal blocks");
  }
}
