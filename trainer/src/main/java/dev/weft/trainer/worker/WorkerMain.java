package dev.weft.trainer.worker;

import com.google.gson.Gson;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.TrainingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of a worker JVM started by the launcher: {@code WorkerMain CONFIG.json}. The launcher
 * writes the validated {@link WorkerConfig}; flags are parsed only in the CLI. Exit code 0 on
 * success, 1 with the error on stderr (which the launcher's per-worker log captures).
 */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: WorkerMain CONFIG.json (written by the weft train launcher)");
      System.exit(2);
    }
    try {
      WorkerConfig config = readConfig(Path.of(args[0]));
      Worker.Result r = new Worker(config, Clock.system()).run();
      if (r.testAccuracy() >= 0) {
        System.out.printf("rank %d test accuracy %.4f%n", config.rank(), r.testAccuracy());
      }
      System.exit(0);
    } catch (Throwable e) {
      // The trainer's own errors are written for the person running the job: message only.
      System.err.println(
          "worker failed: " + (e instanceof TrainingException ? e.getMessage() : e.toString()));
      e.printStackTrace();
      System.exit(1);
    }
  }

  public static WorkerConfig readConfig(Path file) throws java.io.IOException {
    return new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), WorkerConfig.class);
  }

  public static void writeConfig(WorkerConfig config, Path file) throws java.io.IOException {
    Files.writeString(file, new Gson().toJson(config), StandardCharsets.UTF_8);
  }
}
