package io.dataops.scheduler.airflow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A reply's body as UTF-8 text, refused once it exceeds a bound: the JDK's {@code ofString} keeps whatever a server
 * sends (a probe's 4 GB body filled the heap). A declared length over the bound is refused before a byte is read.
 */
final class CappedBody implements HttpResponse.BodySubscriber<String> {
  /** The body exceeded the bound; the exchange was cancelled. */
  static final class TooLarge extends IOException {
    TooLarge(long max) {
      super("the reply is larger than " + max + " bytes");
    }
  }

  private final long max;
  private final long declared;
  private final CompletableFuture<String> body = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private CappedBody(long max, long declared) {
    this.max = max;
    this.declared = declared;
  }

  static HttpResponse.BodyHandler<String> handler(long max) {
    return info -> new CappedBody(max, info.headers().firstValueAsLong("Content-Length").orElse(-1));
  }

  @Override
  public CompletionStage<String> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > max) {
      refuse();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      if (body.isDone()) {
        return;
      }
      if (bytes.size() + (long) b.remaining() > max) {
        refuse();
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    body.complete(bytes.toString(StandardCharsets.UTF_8));
  }

  private void refuse() {
    subscription.cancel();
    body.completeExceptionally(new TooLarge(max));
  }
}
