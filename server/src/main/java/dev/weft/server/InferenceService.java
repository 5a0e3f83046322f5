package dev.weft.server;

import dev.weft.protos.v1.AbortRequest;
import dev.weft.protos.v1.AbortResponse;
import dev.weft.protos.v1.EmbedRequest;
import dev.weft.protos.v1.EmbedResponse;
import dev.weft.protos.v1.Embedding;
import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import dev.weft.protos.v1.ModelInfo;
import dev.weft.protos.v1.ModelInfoRequest;
import dev.weft.protos.v1.ServerStatus;
import dev.weft.protos.v1.ServerStatusRequest;
import dev.weft.scheduler.Request;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The {@code weft.v1.Inference} service. Each handler catches everything and answers through {@link
 * ErrorStatus}, so no failure leaves as UNKNOWN. Generate only validates and queues: the tokens are
 * sent from the serving loop's thread through the call's {@link ResponseSink}.
 */
final class InferenceService extends InferenceGrpc.InferenceImplBase {

  private final WeftServer server;

  InferenceService(WeftServer server) {
    this.server = server;
  }

  @Override
  public void generate(GenerateRequest message, StreamObserver<GenerateResponse> observer) {
    ServerCallStreamObserver<GenerateResponse> call =
        (ServerCallStreamObserver<GenerateResponse>) observer;
    try {
      WeftServer.Serving serving = server.servingOrThrow();
      Deadline deadline = Context.current().getDeadline();
      long deadlineNanos =
          deadline == null
              ? Request.NO_DEADLINE
              : serving.loop().now() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
      RequestParser.Parsed parsed = serving.parser().parse(message, newId(), deadlineNanos);
      String id = parsed.request().id();
      ResponseSink sink = new ResponseSink(call, id);
      sink.listen();
      GenerationStream stream =
          new GenerationStream(
              parsed.request(),
              parsed.stopStrings(),
              serving.engine().model.tokenizer(),
              sink,
              server.metrics());
      serving.loop().submit(stream);
      // After submit, so the abort is queued behind it; re-checked in case it came first.
      call.setOnCancelHandler(() -> serving.loop().abort(id, "the client"));
      if (call.isCancelled()) {
        serving.loop().abort(id, "the client");
      }
    } catch (RuntimeException e) {
      server.metrics().rejected(rejectionLabel(e));
      call.onError(ErrorStatus.exception(e));
    }
  }

  @Override
  public void abort(AbortRequest request, StreamObserver<AbortResponse> observer) {
    try {
      String id = request.getRequestId();
      server
          .servingOrThrow(true)
          .loop()
          .abort(id, "an Abort call")
          .whenComplete(
              (found, error) -> {
                if (error != null) {
                  observer.onError(ErrorStatus.exception(error));
                } else if (!found) {
                  observer.onError(
                      ErrorStatus.exception(
                          new UnknownRequestException(
                              "no live request has id '"
                                  + id
                                  + "' (it may have finished already)")));
                } else {
                  observer.onNext(AbortResponse.getDefaultInstance());
                  observer.onCompleted();
                }
              });
    } catch (RuntimeException e) {
      observer.onError(ErrorStatus.exception(e));
    }
  }

  @Override
  public void getModelInfo(ModelInfoRequest request, StreamObserver<ModelInfo> observer) {
    try {
      observer.onNext(server.modelInfo());
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(ErrorStatus.exception(e));
    }
  }

  @Override
  public void getServerStatus(ServerStatusRequest request, StreamObserver<ServerStatus> observer) {
    try {
      observer.onNext(server.status());
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(ErrorStatus.exception(e));
    }
  }

  @Override
  public void embed(EmbedRequest request, StreamObserver<EmbedResponse> observer) {
    try {
      WeftServer.Serving serving = server.servingOrThrow();
      if (serving.embedder() == null) {
        throw Status.UNIMPLEMENTED
            .withDescription("this server has no embedding model; start it with --embedding-model")
            .asRuntimeException();
      }
      String model = serving.embedder().model().name();
      serving
          .embedder()
          .submit(request.getTextsList())
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  observer.onError(ErrorStatus.exception(error));
                  return;
                }
                EmbedResponse.Builder out =
                    EmbedResponse.newBuilder()
                        .setModel(model)
                        .setPromptTokens(result.totalTokens())
                        .setTruncatedTexts(result.truncatedCount());
                for (float[] v : result.vectors()) {
                  Embedding.Builder e = Embedding.newBuilder();
                  for (float x : v) {
                    e.addValues(x);
                  }
                  out.addEmbeddings(e);
                }
                observer.onNext(out.build());
                observer.onCompleted();
              });
    } catch (RuntimeException e) {
      server.metrics().rejected(rejectionLabel(e));
      observer.onError(ErrorStatus.exception(e));
    }
  }

  private static String newId() {
    return "req-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  private static String rejectionLabel(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
          ? "queue_full"
          : s.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (e instanceof ServerUnavailableException) {
      return "unavailable";
    }
    if (e instanceof IllegalArgumentException) {
      return "invalid_argument";
    }
    return "internal";
  }
}
