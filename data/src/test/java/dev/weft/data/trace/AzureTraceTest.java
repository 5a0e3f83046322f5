package dev.weft.data.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureTraceTest {

  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path file = dir.resolve("trace.csv");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsArrivalsRelativeToTheFirstRequest() throws IOException {
    Path file =
        write(
            "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,374,44\n"
                + "2023-11-16 18:15:50.9951690,396,109\n"
                + "2023-11-16 18:15:51,879,55\n");
    List<TraceRequest> trace = AzureTrace.load(file);
    assertThat(trace)
        .containsExactly(
            new TraceRequest(0, 374, 44),
            new TraceRequest(4_314_579_000L, 396, 109),
            new TraceRequest(4_319_410_000L, 879, 55));
    assertThat(AzureTrace.load(file, 2)).hasSize(2);
  }

  @Test
  void malformedLineNamesFileAndLine() throws IOException {
    Path file =
        write(
            "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,374,44\n"
                + "2023-11-16 18:15:47.0,abc,44\n");
    assertThatThrownBy(() -> AzureTrace.load(file))
        .isInstanceOf(TraceFormatException.class)
        .hasMessage(file + ":3: ContextTokens 'abc' is not a whole number");
  }

  @Test
  void otherBadInputIsNamed() throws IOException {
    Path header = write("time,prompt,output\n");
    assertThatThrownBy(() -> AzureTrace.load(header)).hasMessageContaining(header + ":1: expected");
    Path fields = write(AzureTrace.HEADER + "\n2023-11-16 18:15:46,1\n");
    assertThatThrownBy(() -> AzureTrace.load(fields))
        .hasMessage(fields + ":2: expected 3 comma-separated fields, found 2");
    Path time = write(AzureTrace.HEADER + "\nyesterday,1,2\n");
    assertThatThrownBy(() -> AzureTrace.load(time)).hasMessageStartingWith(time + ":2: TIMESTAMP");
    Path order = write(AzureTrace.HEADER + "\n2023-11-16 18:15:46,1,2\n2023-11-16 18:15:45,1,2\n");
    assertThatThrownBy(() -> AzureTrace.load(order)).hasMessageContaining(":3: timestamp");
    Path zero = write(AzureTrace.HEADER + "\n2023-11-16 18:15:46,5,0\n");
    assertThatThrownBy(() -> AzureTrace.load(zero))
        .hasMessage(zero + ":2: GeneratedTokens is 0, must be a positive token count");
    assertThatThrownBy(() -> AzureTrace.load(dir.resolve("missing.csv")))
        .hasMessageContaining("trace file not found");
  }

  @Test
  void readsTheSharedAzureConversationTrace() {
    Path shared = Path.of("../../shared/traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shared));
    List<TraceRequest> trace = AzureTrace.load(shared);
    assertThat(trace).hasSize(19366);
    assertThat(trace.get(0)).isEqualTo(new TraceRequest(0, 374, 44));
  }
}
