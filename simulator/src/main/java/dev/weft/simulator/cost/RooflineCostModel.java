package dev.weft.simulator.cost;

import dev.weft.simulator.CostModel;
import dev.weft.simulator.StepShape;
import dev.weft.simulator.StepTiming;
import dev.weft.simulator.calibration.ModelShape;

/**
 * The analytic roofline: a step takes the longer of its products at the machine's product rate and
 * its memory traffic at the machine's bandwidth, plus a fixed per-step overhead.
 *
 * <p>Products: 2 FLOPs per weight per token through the layers, 2 per classifier weight per sampled
 * row, and attention's 4 * dim FLOPs per layer per query-key pair (scores and weighted values).
 * Traffic: every weight once, plus the KV entries the step reads (decode contexts and the prefill
 * chunks' contexts, approximated by their attention work over chunk length) and writes.
 */
public final class RooflineCostModel implements CostModel {

  private final HardwareSpec hardware;
  private final ModelShape model;

  public RooflineCostModel(HardwareSpec hardware, ModelShape model) {
    this.hardware = hardware;
    this.model = model;
  }

  public double flops(StepShape s) {
    double layers = 2.0 * s.tokens() * model.layers() * model.layerParams();
    double classifier = 2.0 * s.samples() * model.vocab() * model.dim();
    double attention =
        4.0 * model.layers() * model.dim() * (s.prefillAttentionWork() + s.decodeContextTokens());
    return layers + classifier + attention;
  }

  public double bytes(StepShape s) {
    int e = hardware.bytesPerElement();
    double prefillContext =
        s.prefillSequences() == 0
            ? 0
            : (double) s.prefillAttentionWork()
                / Math.max(1, s.prefillTokens())
                * s.prefillSequences();
    double kvRead = (s.decodeContextTokens() + prefillContext) * model.kvBytesPerToken(e);
    double kvWrite = (double) s.tokens() * model.kvBytesPerToken(e);
    return model.weightBytes(e) + kvRead + kvWrite;
  }

  @Override
  public StepTiming predict(long step, StepShape s) {
    double compute = flops(s) / (hardware.peakFlopsPerSecond() * hardware.computeEfficiency());
    double memory = bytes(s) / (hardware.bytesPerSecond() * hardware.bandwidthEfficiency());
    double nanos = Math.max(compute, memory) * 1e9 + hardware.stepOverheadNanos();
    return new StepTiming(Math.round(nanos), 0);
  }

  @Override
  public String describe() {
    return "roofline for " + hardware.name() + " (" + hardware.source() + ")";
  }

  public HardwareSpec hardware() {
    return hardware;
  }
}
