package io.dataops.platform.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The window of refused tokens per address, on a clock the test moves. */
class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final LoginThrottle throttle = new LoginThrottle(now::get);

  private void advance(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void anAddressWaitsFromItsTenthRefusalUntilItsOldestIsAMinuteOldAndOthersNever() throws Exception {
    InetAddress guesser = InetAddress.getByName("192.0.2.7");
    InetAddress other = InetAddress.getByName("2001:db8::1");
    for (int i = 0; i < LoginThrottle.REFUSALS - 1; i++) {
      throttle.refused(guesser);
      advance(1);
    }
    assertThat(throttle.waitSeconds(guesser)).as("nine refusals").isZero();
    throttle.refused(guesser); // the tenth, 9 s after the first
    assertThat(throttle.waitSeconds(guesser)).isEqualTo(LoginThrottle.WINDOW_SECONDS - 9);
    assertThat(throttle.waitSeconds(other)).isZero();

    advance(LoginThrottle.WINDOW_SECONDS - 9); // the first refusal leaves the window: nine are left
    assertThat(throttle.waitSeconds(guesser)).isZero();
    throttle.refused(guesser); // ten again, the oldest now the second (1 s after the first)
    assertThat(throttle.waitSeconds(guesser)).isEqualTo(1);
    advance(LoginThrottle.WINDOW_SECONDS);
    assertThat(throttle.waitSeconds(guesser)).as("all a minute old").isZero();
  }

  @Test
  void refusalsOfManyAddressesAreForgottenOnceOutOfTheWindow() throws Exception {
    for (int i = 0; i < 12_000; i++) {
      throttle.refused(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    advance(LoginThrottle.WINDOW_SECONDS + 1);
    InetAddress late = InetAddress.getByName("10.200.0.1");
    for (int i = 0; i < LoginThrottle.REFUSALS; i++) {
      throttle.refused(late);
    }
    assertThat(throttle.waitSeconds(late)).isEqualTo(LoginThrottle.WINDOW_SECONDS);
    assertThat(throttle.addresses()).as("the expired ones swept").isEqualTo(1);
  }
}
