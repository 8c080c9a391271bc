package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.util.List;

/**
 * What happens to one output column on its way into a product. Implementations are immutable and thread-safe; null
 * goes in, null comes out. Both job engines call the same instances, so a product is the same on either.
 */
public interface ColumnPolicy {

  /** The policy's name as written in a pipeline file (mask, pseudonymize, encrypt, generalize, ...). */
  String kind();

  /** A short description for reports and lineage, e.g. "mask id_card (keep first 6, last 4)". Never a secret. */
  String describe();

  /** The output type for an input of {@code input}; throws {@link PolicyException} when the policy does not fit. */
  ValueType outputType(ValueType input);

  Object apply(Object value);

  /** False for {@code remove}: the column is left out of the product. */
  default boolean keepsColumn() {
    return true;
  }

  /**
   * What a value still reveals after this policy, in words, e.g. "region (ID digits 1-6)". A policy with a non-empty
   * list makes its column a quasi-identifier in the privacy check: a partial mask still carries information.
   */
  default List<String> retains() {
    return List.of();
  }

  /**
   * The part of an output value the privacy check groups by when this column is a quasi-identifier: the value itself,
   * except where the rest is a per-person ciphertext (format-preserving encryption keeps only its clear prefix).
   */
  default Object quasiIdentifierValue(Object output) {
    return output;
  }

  /** Leading and trailing characters of a value left in clear. */
  record Clear(int first, int last) {
    public static final Clear NONE = new Clear(0, 0);
  }

  /**
   * How many leading and trailing characters of an identifier this policy leaves in clear (a mask's keepFirst and
   * keepLast, the clear prefix of format-preserving encryption), which the platform's limits bound; null when what it
   * leaves is not bounded by position (keep; masks of names, addresses and emails keep what their convention keeps).
   */
  default Clear keptInClear() {
    return Clear.NONE;
  }

  /** True when the output is meant to keep the shape of an identifier (format-preserving encryption). */
  default boolean keepsIdentifierShape() {
    return false;
  }

  /**
   * The name of the configured key the policy uses (pseudonymize, encrypt), or null: run identities and shipped policy
   * descriptions record its fingerprint, never the key.
   */
  default String keyId() {
    return null;
  }

  /** True when the policy lets the raw value through unchanged (keep): not allowed on personal data. */
  default boolean passesRawValues() {
    return false;
  }
}
