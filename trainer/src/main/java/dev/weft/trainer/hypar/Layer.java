package dev.weft.trainer.hypar;

/**
 * One weighted layer: fully connected ({@code FC}) or convolutional ({@code CONV}).
 *
 * <p>Shapes are per sample. {@code in} is what the layer reads; {@code conv} is the convolution's
 * output before pooling (for FC the same as {@code out}); {@code out} is what the next layer reads
 * (after pooling). The weight tensor is {@code in.channels x out.channels x kernel x kernel}: a
 * fully connected layer over a flattened feature map has {@code in.size()} input features.
 */
public record Layer(String name, Kind kind, Shape in, Shape conv, Shape out, int kernel) {

  /** Layer kinds of the HyPar paper. */
  public enum Kind {
    FC,
    CONV
  }

  public Layer {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a layer needs a name");
    }
    if (kind == null || in == null || out == null) {
      throw new IllegalArgumentException("layer '" + name + "' needs a type, 'in' and 'out'");
    }
    if (kind == Kind.FC) {
      if (!out.isVector()) {
        throw new IllegalArgumentException(
            "layer '" + name + "' is fully connected but its output " + out + " is not a vector");
      }
      if (kernel != 1) {
        throw new IllegalArgumentException(
            "layer '" + name + "' is fully connected and cannot have kernel " + kernel);
      }
      in = Shape.vector(Math.toIntExact(in.size()));
      conv = out;
    } else {
      if (kernel < 1) {
        throw new IllegalArgumentException("layer '" + name + "' has kernel " + kernel);
      }
      if (conv == null) {
        conv = out;
      }
      if (conv.channels() != out.channels()) {
        throw new IllegalArgumentException(
            "layer '"
                + name
                + "': convolution output "
                + conv
                + " and pooled output "
                + out
                + " have different channel counts");
      }
      if (out.height() > conv.height() || out.width() > conv.width()) {
        throw new IllegalArgumentException(
            "layer '" + name + "': pooled output " + out + " is larger than convolution " + conv);
      }
    }
  }

  public static Layer fc(String name, int in, int out) {
    return new Layer(name, Kind.FC, Shape.vector(in), null, Shape.vector(out), 1);
  }

  public static Layer conv(String name, Shape in, int kernel, Shape conv, Shape out) {
    return new Layer(name, Kind.CONV, in, conv, out, kernel);
  }

  /** Elements of the weight (and weight-gradient) tensor. */
  public long weights() {
    return (long) in.channels() * out.channels() * kernel * kernel;
  }

  /** Multiply-accumulates of the forward pass for one sample. */
  public long forwardMacsPerSample() {
    return conv.size() * in.channels() * kernel * kernel;
  }

  @Override
  public String toString() {
    return name + " " + kind + " " + in + " -> " + out;
  }
}
