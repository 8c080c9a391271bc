package io.dataops.pipelines.definition;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.desensitize.FormatPreservingEncryption;
import io.dataops.pipelines.desensitize.Mask;
import io.dataops.pipelines.desensitize.PolicyException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many leading and trailing characters of an identifier a policy may leave in clear, per kind: a mask's keepFirst
 * and keepLast, format-preserving encryption's clear prefix. The defaults follow common PRC display practice (no
 * national standard fixes the digits): resident ID number the first 6 and the last 4, mobile number 3 and 4, bank card
 * 6 and 4. A name keeps at most its first character, as the name mask's convention (the surname) does: two of a
 * three-character name's characters show most of it. An email keeps its first letter (its mask's convention adds the
 * domain); an address no character by position (a custom mask kept probes' addresses down to the building): its mask
 * keeps whole parts down to a level. An authority may configure stricter limits, never looser ones; an exemption from
 * the privacy check does not lift them (17 kept characters of an ID number give the 18th: it is a check character).
 */
public record KeepLimits(Map<PersonalData, Limit> limits) {
  private static final Pattern SPELLING = Pattern.compile("\\s*(\\d{1,2})\\s*\\+\\s*(\\d{1,2})\\s*");

  /** At most {@code first} leading and {@code last} trailing characters in clear. */
  public record Limit(int first, int last) {
    /** "6+4": the first 6 and the last 4. */
    public static Limit parse(String text) {
      Matcher m = SPELLING.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException("write the limit as FIRST+LAST, e.g. 6+4 (the first 6 and the last 4 "
            + "characters)");
      }
      return new Limit(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    boolean within(Limit other) {
      return first <= other.first && last <= other.last;
    }

    @Override
    public String toString() {
      return "the first " + first + " and the last " + last;
    }
  }

  public static final KeepLimits DEFAULTS = new KeepLimits(Map.of(PersonalData.ID_CARD, new Limit(6, 4),
      PersonalData.MOBILE, new Limit(3, 4), PersonalData.BANK_CARD, new Limit(6, 4), PersonalData.NAME,
      new Limit(1, 0), PersonalData.EMAIL, new Limit(1, 0), PersonalData.ADDRESS, new Limit(0, 0)));

  /**
   * The kinds whose values are numbers checked by position (ID, mobile and bank card numbers): a generalization of
   * one, or characters kept of an expression over one, is bounded by the validator's shape rules too.
   */
  public static final Set<PersonalData> NUMBERS = Set.of(PersonalData.ID_CARD, PersonalData.MOBILE,
      PersonalData.BANK_CARD);

  public KeepLimits {
    limits = Map.copyOf(limits);
  }

  /** The kinds that have a limit. */
  public Set<PersonalData> kinds() {
    return new TreeSet<>(limits.keySet());
  }

  /** These limits with {@code kind}'s replaced by a stricter one; a looser one is refused. */
  public KeepLimits stricter(PersonalData kind, Limit limit) {
    Limit current = limits.get(kind);
    if (current == null) {
      throw new IllegalArgumentException("there is no limit for " + kind.spelling() + " (there are for "
          + String.join(", ", kinds().stream().map(PersonalData::spelling).toList()) + ")");
    }
    if (!limit.within(DEFAULTS.limits.get(kind))) {
      throw new IllegalArgumentException(limit.first() + "+" + limit.last() + " would keep more than the platform's "
          + DEFAULTS.limits.get(kind).first() + "+" + DEFAULTS.limits.get(kind).last() + "; a limit can only be made "
          + "stricter");
    }
    Map<PersonalData, Limit> m = new EnumMap<>(limits);
    m.put(kind, limit);
    return new KeepLimits(m);
  }

  /**
   * Checks the policy of a column whose values are identifiers of {@code carried} kinds (from its lineage); the
   * policy's own kind (mask id_card, encrypt ... shape: mobile) counts too.
   */
  public void check(ColumnPolicy policy, Set<PersonalData> carried) {
    Set<PersonalData> kinds = new TreeSet<>(carried);
    ownKind(policy).ifPresent(kinds::add);
    for (PersonalData kind : kinds) {
      Limit limit = limits.get(kind);
      if (limit == null) {
        continue;
      }
      ColumnPolicy.Clear clear = policy.keptInClear();
      if (clear == null && policy instanceof Mask m && conventionFor(m.type(), kind)
          && (kind == PersonalData.ADDRESS || limit.first() >= 1)) {
        continue; // the kind's own mask: a name's surname, an email's first letter and domain, an address's level
      }
      if (clear == null) {
        throw new PolicyException(policy.describe() + " does not hide " + kind.spelling() + " values by position: use "
            + "mask " + kind.spelling() + ", or mask custom keeping at most " + limit + " characters");
      }
      if (!new Limit(clear.first(), clear.last()).within(limit)) {
        throw new PolicyException(policy.describe() + " shows more of " + kind.spelling() + " values than the limit "
            + "for " + kind.spelling() + ": " + limit + " characters at most" + (kind == PersonalData.ADDRESS
                ? " (an address keeps whole parts: mask address with a level, or generalize: address)" : ""));
      }
    }
  }

  /** Whether a mask of this kind is {@code kind}'s own convention (mask name on a name). */
  private static boolean conventionFor(Mask.Kind mask, PersonalData kind) {
    return mask == Mask.Kind.NAME && kind == PersonalData.NAME || mask == Mask.Kind.EMAIL && kind == PersonalData.EMAIL
        || mask == Mask.Kind.ADDRESS && kind == PersonalData.ADDRESS;
  }

  private static java.util.Optional<PersonalData> ownKind(ColumnPolicy policy) {
    if (policy instanceof Mask m) {
      return switch (m.type()) {
        case ID_CARD -> java.util.Optional.of(PersonalData.ID_CARD);
        case MOBILE -> java.util.Optional.of(PersonalData.MOBILE);
        case BANK_CARD -> java.util.Optional.of(PersonalData.BANK_CARD);
        default -> java.util.Optional.empty();
      };
    }
    if (policy instanceof FormatPreservingEncryption f) {
      return switch (f.shape()) {
        case ID_CARD -> java.util.Optional.of(PersonalData.ID_CARD);
        case MOBILE -> java.util.Optional.of(PersonalData.MOBILE);
        default -> java.util.Optional.empty();
      };
    }
    return java.util.Optional.empty();
  }
}
