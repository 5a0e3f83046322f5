package dev.weft.server;

import dev.weft.engine.model.LoadedModel;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.SamplingOptions;
import dev.weft.scheduler.ImmutableIntList;
import dev.weft.scheduler.Request;
import dev.weft.scheduler.SamplingParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a {@link GenerateRequest} and turns it into the serving loop's {@link Request}. Every
 * problem is an {@link InvalidRequestException} naming the field, its value and the rule, so the
 * client gets one INVALID_ARGUMENT it can act on before any work is done.
 */
final class RequestParser {

  static final int MAX_STOP_STRINGS = 16;
  static final int MAX_STOP_LENGTH = 256;
  static final int MAX_ID_LENGTH = 128;

  /** A checked request and what the loop does not know about: stop strings. */
  record Parsed(Request request, List<String> stopStrings) {}

  private final LoadedModel model;
  private final int defaultMaxTokens;

  RequestParser(LoadedModel model, int defaultMaxTokens) {
    this.model = model;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  Parsed parse(GenerateRequest message, String assignedId, long deadlineNanos) {
    String id = message.getRequestId().isEmpty() ? assignedId : message.getRequestId();
    if (id.length() > MAX_ID_LENGTH || id.isBlank()) {
      throw invalid("request_id must be 1 to " + MAX_ID_LENGTH + " characters, not blank");
    }
    int[] prompt = prompt(message);
    int window = model.config().maxSeqLen();
    int maxTokens = message.getMaxTokens();
    if (maxTokens < 0) {
      throw invalid("max_tokens is " + maxTokens + ", must be >= 1 (or 0 for the default)");
    }
    if (maxTokens == 0) {
      maxTokens = Math.max(1, Math.min(defaultMaxTokens, window - prompt.length));
    }
    if (message.getMinTokens() < 0 || message.getMinTokens() > maxTokens) {
      throw invalid(
          "min_tokens is "
              + message.getMinTokens()
              + ", must be in [0, max_tokens="
              + maxTokens
              + "]");
    }
    Set<Integer> stopTokens = new HashSet<>();
    if (!message.getIgnoreEos()) {
      stopTokens.addAll(model.stopTokens());
    }
    for (int token : message.getStopTokenIdsList()) {
      checkToken("stop_token_ids", token);
      stopTokens.add(token);
    }
    List<String> stops = message.getStopList();
    if (stops.size() > MAX_STOP_STRINGS) {
      throw invalid("at most " + MAX_STOP_STRINGS + " stop strings, got " + stops.size());
    }
    for (String stop : stops) {
      if (stop.isEmpty() || stop.length() > MAX_STOP_LENGTH) {
        throw invalid("a stop string must have 1 to " + MAX_STOP_LENGTH + " characters");
      }
    }
    SamplingParams sampling;
    try {
      sampling = sampling(message.getSampling(), maxTokens, stopTokens, message.getMinTokens());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    Request request =
        new Request(
            id, ImmutableIntList.of(prompt), sampling, message.getPriority(), deadlineNanos);
    return new Parsed(request, stops);
  }

  private int[] prompt(GenerateRequest message) {
    switch (message.getInputCase()) {
      case TEXT -> {
        boolean bos = !message.hasAddBos() || message.getAddBos();
        int[] tokens = model.tokenizer().encode(message.getText(), bos);
        if (tokens.length == 0) {
          throw invalid("the text encodes to no tokens; give some text or set add_bos");
        }
        return tokens;
      }
      case TOKEN_IDS -> {
        List<Integer> ids = message.getTokenIds().getIdsList();
        if (ids.isEmpty()) {
          throw invalid("token_ids is empty; give at least one token id");
        }
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = ids.get(i);
          checkToken("token_ids[" + i + "]", tokens[i]);
        }
        return tokens;
      }
      default -> throw invalid("no input: set text or token_ids");
    }
  }

  private static SamplingParams sampling(
      SamplingOptions options, int maxTokens, Set<Integer> stopTokens, int minTokens) {
    // Unset fields take weft generate's defaults.
    return new SamplingParams(
        options.hasTemperature() ? options.getTemperature() : 1.0,
        options.getTopK(),
        options.hasTopP() ? options.getTopP() : 1.0,
        options.getMinP(),
        options.hasRepetitionPenalty() ? options.getRepetitionPenalty() : 1.0,
        options.getFrequencyPenalty(),
        options.hasSeed() ? options.getSeed() : ThreadLocalRandom.current().nextLong(),
        maxTokens,
        stopTokens,
        minTokens);
  }

  private void checkToken(String field, int token) {
    int vocab = model.config().vocabSize();
    if (token < 0 || token >= vocab) {
      throw invalid(field + " is " + token + ", must be a token id in [0, " + vocab + ")");
    }
  }

  private static InvalidRequestException invalid(String message) {
    return new InvalidRequestException(message);
  }
}
