package io.dataops.quality.run;

import io.dataops.core.AccessDeniedException;
import java.util.List;

/**
 * A suite refused because its rules would read the values of a personal column for a caller who may see them only
 * masked: a rule's counts answer questions about the values (a regular expression narrowed to one row gives a digit
 * at a time), so such a caller's own rules are an oracle for what its masked view hides (found by a probe: the
 * authority rebuilt a citizen's resident ID with one run of eighty rules).
 */
public final class PersonalValuesRefusedException extends AccessDeniedException {
  public PersonalValuesRefusedException(String message) {
    super(message, List.of("department"));
  }
}
