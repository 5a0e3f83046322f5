package dev.weft.server;

import dev.weft.protos.v1.GenerateRequest;
import dev.weft.protos.v1.GenerateResponse;
import dev.weft.protos.v1.InferenceGrpc;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One Generate call seen from a real gRPC client: everything it received, and how it ended. */
final class StreamCall implements ClientResponseObserver<GenerateRequest, GenerateResponse> {

  final List<Integer> ids = new ArrayList<>();
  final StringBuilder text = new StringBuilder();
  final CountDownLatch done = new CountDownLatch(1);
  final CountDownLatch firstToken = new CountDownLatch(1);
  private final int cancelAfter;
  private final boolean manualFlow;
  volatile GenerateResponse last;
  volatile Status error;
  volatile int messages;
  private ClientCallStreamObserver<GenerateRequest> call;

  private StreamCall(int cancelAfter, boolean manualFlow) {
    this.cancelAfter = cancelAfter;
    this.manualFlow = manualFlow;
  }

  /**
   * Starts a call; with {@code cancelAfter > 0} the client cancels once it has that many tokens.
   */
  static StreamCall start(
      InferenceGrpc.InferenceStub stub, GenerateRequest request, int cancelAfter) {
    StreamCall c = new StreamCall(cancelAfter, false);
    stub.generate(request, c);
    return c;
  }

  /** Starts a call whose client reads one message only when {@link #read()} is called. */
  static StreamCall slowReader(InferenceGrpc.InferenceStub stub, GenerateRequest request) {
    StreamCall c = new StreamCall(0, true);
    stub.generate(request, c);
    return c;
  }

  void read() {
    call.request(1);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
    call = requestStream;
    if (manualFlow) {
      requestStream.disableAutoRequestWithInitial(1);
    }
  }

  @Override
  public synchronized void onNext(GenerateResponse response) {
    messages++;
    ids.addAll(response.getTokenIdsList());
    text.append(response.getText());
    if (!ids.isEmpty()) {
      firstToken.countDown();
    }
    if (response.hasUsage()) {
      last = response;
    }
    if (cancelAfter > 0 && ids.size() >= cancelAfter) {
      call.cancel("the test cancels midway", null);
    }
  }

  @Override
  public void onError(Throwable t) {
    error = Status.fromThrowable(t);
    firstToken.countDown();
    done.countDown();
  }

  @Override
  public void onCompleted() {
    done.countDown();
  }

  StreamCall await() throws InterruptedException {
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new AssertionError("stream did not end in 120 s; got " + ids.size() + " tokens");
    }
    return this;
  }

  synchronized int[] tokens() {
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  synchronized String textSoFar() {
    return text.toString();
  }
}
