package dev.weft.trainer.hypar;

/**
 * The per-sample shape of a feature map: {@code channels x height x width}. A fully connected
 * layer's vector of {@code n} features is {@code n x 1 x 1}.
 */
public record Shape(int channels, int height, int width) {

  public Shape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "shape " + channels + "x" + height + "x" + width + " has a dimension below 1");
    }
  }

  public static Shape vector(int n) {
    return new Shape(n, 1, 1);
  }

  /** Elements per sample. */
  public long size() {
    return (long) channels * height * width;
  }

  /** Spatial positions per channel. */
  public long pixels() {
    return (long) height * width;
  }

  public boolean isVector() {
    return height == 1 && width == 1;
  }

  @Override
  public String toString() {
    return isVector() ? Integer.toString(channels) : channels + "x" + height + "x" + width;
  }
}
