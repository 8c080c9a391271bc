package io.dataops.governance.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {
  @Test
  void tokensAreWellFormedDistinctAndTheirIdsAreNeverReadAsCommandOptions() {
    // One id in 64 began with '-' before: 20,000 draws would show about 300 of them.
    Set<String> seen = new HashSet<>();
    Set<Character> firsts = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String token = ApiTokens.generate();
      assertThat(ApiTokens.wellFormed(token)).as(token).isTrue();
      String id = ApiTokens.id(token);
      assertThat(id).hasSize(ApiTokens.ID_LENGTH).doesNotStartWith("-");
      assertThat(seen.add(token)).isTrue();
      firsts.add(id.charAt(0));
    }
    // Every other character of the alphabet still begins ids: the draw is otherwise uniform.
    assertThat(firsts).hasSize(63).contains('_');
  }
}
