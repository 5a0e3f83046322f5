package dev.weft.engine.generate;

/** A prompt that leaves no room in the context window to generate a token. */
public class PromptTooLongException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PromptTooLongException(int promptTokens, int contextWindow) {
    super(
        "prompt is "
            + promptTokens
            + " tokens but the model's context window is "
            + contextWindow
            + " tokens; shorten the prompt to at most "
            + (contextWindow - 1)
            + " tokens");
  }
}
