package dev.weft.trainer.hypar;

import java.util.List;

/**
 * A network as HyPar sees it: the chain of weighted layers and the training batch size. Pooling,
 * activations and other unweighted layers only show up in the shapes.
 *
 * @param name what tables and errors call it
 * @param batch samples per training step, over the whole accelerator array
 * @param layers weighted layers, input first; each one's input must be the previous one's output
 * @param source where the definition comes from (paper, prototxt), for the record
 */
public record Network(String name, int batch, List<Layer> layers, String source) {

  public Network {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a network needs a name");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("network " + name + ": batch " + batch + " is below 1");
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("network " + name + " has no weighted layers");
    }
    layers = List.copyOf(layers);
    source = source == null ? "" : source;
    for (int i = 1; i < layers.size(); i++) {
      checkFollows(name, layers.get(i - 1), layers.get(i));
    }
    for (int i = 0; i < layers.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (layers.get(i).name().equals(layers.get(j).name())) {
          throw new IllegalArgumentException(
              "network " + name + ": two layers are named '" + layers.get(i).name() + "'");
        }
      }
    }
  }

  private static void checkFollows(String net, Layer prev, Layer next) {
    boolean ok =
        next.kind() == Layer.Kind.FC
            ? next.in().size() == prev.out().size()
            : next.in().equals(prev.out());
    if (!ok) {
      throw new IllegalArgumentException(
          "network "
              + net
              + ": layer '"
              + next.name()
              + "' takes input "
              + next.in()
              + " but layer '"
              + prev.name()
              + "' gives "
              + prev.out()
              + (prev.out().isVector() ? "" : " (" + prev.out().size() + " values)"));
    }
  }

  /** The same network trained with another batch size. */
  public Network withBatch(int newBatch) {
    return new Network(name, newBatch, layers, source);
  }

  public int size() {
    return layers.size();
  }

  /** Weight elements of all layers. */
  public long weights() {
    return layers.stream().mapToLong(Layer::weights).sum();
  }

  /** Multiply-accumulates of one training step: forward, error backward and gradient, each once. */
  public double trainingMacs() {
    return 3.0 * batch * layers.stream().mapToLong(Layer::forwardMacsPerSample).sum();
  }
}
