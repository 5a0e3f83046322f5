package dev.weft.cli;

/**
 * DJL's offline switches. Without them DJL's engine start contacts a cloud metadata address and a
 * usage-tracking endpoint; Weft machines must never send that traffic. Both are read by DJL as
 * system properties, so they must be set before any DJL class initialises.
 */
public final class OfflineSettings {

  private OfflineSettings() {}

  /** Sets the DJL offline properties unless the user has set them explicitly. */
  public static void apply() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
    // Keep DJL's log line about a missing network quiet; it is expected.
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // On a machine without a GPU DJL's CUDA probe warns on every start; that is not news.
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
