package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad security flags of serve, client and train worker are user errors (exit 2) naming the flag.
 */
class SecurityFlagsTest {

  @TempDir Path dir;

  @Test
  void tlsFlagsMustComeTogether() {
    CliRun run = CliRun.of("serve", "--model", "stories260K", "--tls-cert", "cert.pem");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-cert and --tls-key go together");
    CliRun worker =
        CliRun.of(
            "train",
            "worker",
            "--peers",
            "a:1,b:2",
            "--rank",
            "0",
            "--algo",
            "allreduce",
            "--workers",
            "2",
            "--tls-ca",
            "ca.pem");
    assertThat(worker.code()).isEqualTo(2);
    assertThat(worker.err()).contains("--tls-cert, --tls-key and --tls-ca");
  }

  @Test
  void aMissingOrEmptyTokenSourceIsNamedWithoutATokenInSight() throws Exception {
    CliRun missing =
        CliRun.of(
            "serve", "--model", "stories260K", "--auth-token-file", dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the token file");
    Path empty = Files.writeString(dir.resolve("empty"), "# no tokens yet\n");
    CliRun none =
        CliRun.of("serve", "--model", "stories260K", "--auth-token-file", empty.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("holds no token");
    CliRun client =
        CliRun.of("client", "--auth-token-env", "WEFT_TEST_SURELY_UNSET_VARIABLE", "--prompt", "x");
    assertThat(client.code()).isEqualTo(2);
    assertThat(client.err()).contains("WEFT_TEST_SURELY_UNSET_VARIABLE is unset");
  }
}
