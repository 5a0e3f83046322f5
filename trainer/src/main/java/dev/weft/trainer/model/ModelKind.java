package dev.weft.trainer.model;

import java.util.Locale;

/** The models the trainer knows: image classifiers and the engine's Llama. */
public enum ModelKind {
  /** 784-256-128-10 multilayer perceptron with ReLU. */
  MLP,
  /** Two 5x5 conv + max-pool layers (16, 32 channels), then a 10-way linear layer. */
  CNN,
  /** The engine's Llama language model, trained on a text corpus (see {@code LanguageModel}). */
  LLAMA;

  /** Parses {@code mlp} or {@code cnn}; the message lists the choices. */
  public static ModelKind parse(String name) {
    for (ModelKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown model '" + name + "' (choose mlp, cnn or llama)");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
