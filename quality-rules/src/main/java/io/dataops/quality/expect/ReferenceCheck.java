package io.dataops.quality.expect;

import io.dataops.core.AccessDeniedException;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Whether the caller may read another table a suite refers to (a reference table, the other table of a row-count
 * comparison) at {@code snapshot}, the one the run reads (its pin; null: the current one): it throws, an
 * {@link AccessDeniedException} naming the table, when not. A suite is compiled against its referenced tables' schemas
 * and runs over their rows, so the check comes before either is looked at. The snapshot matters for a product table:
 * each snapshot is a version, and who may read it depends on that version's state.
 */
@FunctionalInterface
public interface ReferenceCheck {
  void check(TableIdentifier table, Long snapshot);

  /** At the table's current snapshot: a check before a run starts, which refuses early and reads nothing. */
  default void checkCurrent(TableIdentifier table) {
    check(table, null);
  }

  /** For callers that decided otherwise who may read what (the engine's own tests, a library caller). */
  ReferenceCheck ANY = (table, snapshot) -> { };

  /** No caller to check: a suite then reads no other table. */
  ReferenceCheck NONE = (table, snapshot) -> {
    throw new AccessDeniedException("the suite refers to " + table + ", another table, and no caller's read of it "
        + "was checked", List.of());
  };
}
