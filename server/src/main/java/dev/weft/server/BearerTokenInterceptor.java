package dev.weft.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;

/**
 * Refuses every call without {@code authorization: Bearer <token>} naming one of the server's
 * tokens with {@code UNAUTHENTICATED}, before the call reaches a service. Health checks pass
 * without a token: load balancers and Kubernetes probes cannot send one, and health reveals nothing
 * but SERVING or not. The presented value is never echoed or logged.
 */
final class BearerTokenInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final BearerTokens tokens;
  private final ServerMetrics metrics;

  BearerTokenInterceptor(BearerTokens tokens, ServerMetrics metrics) {
    this.tokens = tokens;
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String value = headers.get(AUTHORIZATION);
    String problem;
    if (value == null) {
      problem = "no bearer token: send the metadata 'authorization: Bearer <token>'";
    } else if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      problem = "the authorization metadata is not of the form 'Bearer <token>'";
    } else if (!tokens.accepts(value.substring(BEARER.length()).strip())) {
      problem = "the bearer token is not valid for this server";
    } else {
      return next.startCall(call, headers);
    }
    metrics.rejected("unauthenticated");
    call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
