package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.IllegalMoveException;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.lifecycle.Move;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every move of every role from every state: legal ones change the state, illegal ones change nothing. */
class LifecycleTest extends ProductFixture {
  private static final List<Actor> EVERYONE = List.of(OPERATOR, OTHER_OPERATOR, AUTHORITY, AUDITOR, PARTNER,
      DEPARTMENT, ADMIN);

  private Lifecycle lifecycle;
  private Sealer sealer;
  private int streets;

  /** One command a person gives: its move (for the rule) and how the CLI's command calls the module. */
  private record Command(String name, Move move, VersionState to, Action action) {}

  @FunctionalInterface
  private interface Action {
    void run(ProductVersion v, Actor actor);
  }

  private List<Command> commands;

  @BeforeEach
  void modules() {
    lifecycle = new Lifecycle(lakehouse, registry, audit);
    sealer = new Sealer(lakehouse, registry, audit, archiveRoot());
    commands = List.of(
        new Command("submit", Move.SUBMIT, VersionState.SUBMITTED,
            (v, a) -> lifecycle.submit(v.product(), v.version(), a)),
        new Command("approve", Move.APPROVE, VersionState.APPROVED,
            (v, a) -> lifecycle.approve(v.product(), v.version(), a, "fits the scenario")),
        new Command("reject", Move.REJECT, VersionState.REJECTED,
            (v, a) -> lifecycle.reject(v.product(), v.version(), a, "street names must be generalized")),
        new Command("publish", Move.PUBLISH, VersionState.PUBLISHED,
            (v, a) -> lifecycle.publish(v.product(), v.version(), a, Lifecycle.PUBLIC_INTEREST, null, "CC BY 4.0")),
        new Command("seal", Move.SEAL, VersionState.SEALED, (v, a) -> sealer.seal(v.product(), v.version(), a)),
        new Command("destroy", Move.DESTROY, VersionState.DESTROYED, (v, a) -> destroyer().destroy(v.product(),
            v.version(), a)));
  }

  private Destroyer destroyer() {
    return new Destroyer(lakehouse, registry, audit, archiveRoot(), certificates());
  }

  /** A fresh version driven to a state by the people allowed to drive it. */
  private ProductVersion inState(VersionState state) {
    return inState(PRODUCT, state);
  }

  private ProductVersion inState(String product, VersionState state) {
    streets += 10;
    ProductVersion v = publish(product, false, dataFile(product, streets, streets + 9));
    int n = v.version();
    switch (state) {
      case DRAFT -> { }
      case SUBMITTED -> lifecycle.submit(product, n, OPERATOR);
      case APPROVED -> approved(product, n);
      case REJECTED -> {
        lifecycle.submit(product, n, OPERATOR);
        lifecycle.reject(product, n, AUTHORITY, "not fit");
      }
      case PUBLISHED -> published(product, n);
      case SUPERSEDED -> {
        published(product, n);
        ProductVersion newer = inState(product, VersionState.PUBLISHED);
        assertThat(newer.version()).isGreaterThan(n);
      }
      case SEALED -> {
        approved(product, n);
        sealer.seal(product, n, AUTHORITY);
      }
      case DESTROYING -> {
        approved(product, n);
        sealer.seal(product, n, AUTHORITY);
        Throwable stopped = catchThrowable(() -> destroyer().onStep(step -> {
          if (step.equals("planned")) {
            throw new IllegalStateException("the process stops here");
          }
        }).destroy(product, n, AUTHORITY));
        assertThat(stopped).hasMessage("the process stops here");
      }
      case DESTROYED -> {
        approved(product, n);
        sealer.seal(product, n, AUTHORITY);
        destroyer().destroy(product, n, AUTHORITY);
      }
    }
    ProductVersion now = registry.find(product, n).orElseThrow();
    assertThat(now.state()).isEqualTo(state);
    return now;
  }

  private void approved(int n) {
    approved(PRODUCT, n);
  }

  private void approved(String product, int n) {
    lifecycle.submit(product, n, OPERATOR);
    lifecycle.approve(product, n, AUTHORITY, null);
  }

  private void published(String product, int n) {
    approved(product, n);
    lifecycle.publish(product, n, OPERATOR, Lifecycle.MARKET, "1200.5", "data exchange standard licence");
  }

  private static boolean legal(Command c, VersionState from, Actor actor) {
    Move move = c.move() == Move.DESTROY && from == VersionState.DESTROYING ? Move.DESTROYED : c.move();
    boolean ownerOk = !"operator".equals(move.role()) || OWNER.equals(actor.organization());
    return actor.has(move.role()) && ownerOk && move.allowedFrom(from);
  }

  @Test
  void everyMoveOfEveryRoleFromEveryState() {
    Map<VersionState, ProductVersion> shared = new EnumMap<>(VersionState.class);
    List<String> legalMoves = new ArrayList<>();
    int refused = 0;
    for (VersionState from : VersionState.values()) {
      for (Command c : commands) {
        for (Actor actor : EVERYONE) {
          if (legal(c, from, actor)) {
            ProductVersion v = inState(from);
            c.action().run(v, actor);
            assertThat(registry.find(v.product(), v.version()).orElseThrow().state()).as(c.name() + " by " + actor.user() + " from " + from)
                .isEqualTo(c.to());
            legalMoves.add(from.label() + " -" + c.name() + "-> " + c.to().label());
          } else {
            // Each state's shared version in a product of its own: publishing elsewhere cannot supersede it.
            ProductVersion v = shared.computeIfAbsent(from, s -> inState("shared-" + s.label(), s));
            int historyBefore = registry.history(v.product(), v.version()).size();
            int eventsBefore = events.size();
            Throwable t = catchThrowable(() -> c.action().run(v, actor));
            boolean roleMissing = !actor.has(c.move().role())
                || ("operator".equals(c.move().role()) && !OWNER.equals(actor.organization()));
            assertThat(t).as(c.name() + " by " + actor.user() + " from " + from)
                .isInstanceOf(roleMissing ? AccessDeniedException.class : IllegalMoveException.class);
            if (roleMissing) {
              assertThat(t.getMessage()).as("names the role needed").contains(c.move().role());
            }
            ProductVersion after = registry.find(v.product(), v.version()).orElseThrow();
            assertThat(after.state()).as("unchanged").isEqualTo(from);
            assertThat(after.snapshotId()).isEqualTo(v.snapshotId());
            assertThat(registry.history(v.product(), v.version())).hasSize(historyBefore);
            assertThat(events).hasSize(eventsBefore);
            refused++;
          }
        }
      }
    }
    assertThat(legalMoves).containsExactlyInAnyOrder(
        "draft -submit-> submitted",
        "submitted -approve-> approved", "submitted -reject-> rejected",
        "approved -publish-> published", "approved -seal-> sealed",
        "rejected -destroy-> destroyed",
        "published -seal-> sealed", "superseded -seal-> sealed",
        "sealed -destroy-> destroyed", "destroying -destroy-> destroyed");
    assertThat(refused).isEqualTo(VersionState.values().length * commands.size() * EVERYONE.size() - 10);
  }

  @Test
  void publishingANewerVersionSupersedesTheOlderAndAnOlderOneCannotBePublishedAfter() {
    ProductVersion v1 = publish(false, dataFile(1, 5));
    ProductVersion v2 = publish(false, dataFile(1, 6));
    approved(v1.version());
    approved(v2.version());
    lifecycle.publish(PRODUCT, v2.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open licence");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v1.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null,
        "open licence")).hasMessageContaining("v2 is published and newer");
    ProductVersion v3 = publish(false, dataFile(1, 7));
    approved(v3.version());
    ProductVersion p3 = lifecycle.publish(PRODUCT, v3.version(), OPERATOR, Lifecycle.MARKET, "99.9", "licence");
    assertThat(p3.publication().price()).isEqualTo("99.90");
    assertThat(version(2).state()).isEqualTo(VersionState.SUPERSEDED);
    assertThat(registry.history(PRODUCT, 2)).extracting(t -> t.to())
        .containsExactly("draft", "submitted", "approved", "published", "superseded");
    assertThat(registry.history(PRODUCT, 2).get(2).actor()).isEqualTo("alice");
  }

  /**
   * An incremental version adds to the ones before it: one made on a rejected increment holds its rows, and is neither
   * submitted, approved nor published (found by a probe: the rejected v2's rows were published in v3 and stayed after
   * v2's destruction); a full run's version, of new files only, goes on.
   */
  @Test
  void aVersionHoldingARejectedIncrementsRowsIsRefusedUntilAFullRun() {
    ProductVersion v1 = publish(false, dataFile(1, 5));
    approved(v1.version()); // its rows are not the rejected ones
    ProductVersion v2 = publish(true, dataFile(6, 8));
    ProductVersion v3 = publish(true, dataFile(9, 9));
    lifecycle.submit(PRODUCT, v3.version(), OPERATOR); // before v2 is judged
    lifecycle.submit(PRODUCT, v2.version(), OPERATOR);
    lifecycle.reject(PRODUCT, v2.version(), AUTHORITY, "street names must be generalized");
    String said = "holds rows of v" + v2.version() + ", which was rejected (1 file of v" + v2.version()
        + " that no approved version before it holds";
    assertThatThrownBy(() -> lifecycle.approve(PRODUCT, v3.version(), AUTHORITY, null))
        .isInstanceOf(io.dataops.core.StateRefusedException.class).hasMessageContaining("approve of " + v3.label()
            + " refused: it " + said).hasMessageContaining("full run");
    assertThat(version(v3.version()).state()).isEqualTo(VersionState.SUBMITTED);
    ProductVersion v4 = publish(true, dataFile(10, 10));
    assertThatThrownBy(() -> lifecycle.submit(PRODUCT, v4.version(), OPERATOR)).hasMessageContaining(said);
    destroyer().destroy(PRODUCT, v2.version(), AUTHORITY);
    assertThatThrownBy(() -> lifecycle.submit(PRODUCT, v4.version(), OPERATOR))
        .as("destroyed, the rejected version's rows still sit in the later ones").hasMessageContaining(said);
    ProductVersion full = publish(false, dataFile(1, 10));
    approved(full.version());
    lifecycle.publish(PRODUCT, full.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "CC BY 4.0");
    assertThat(version(full.version()).state()).isEqualTo(VersionState.PUBLISHED);
  }

  /**
   * A version approved before the version whose rows it carries was rejected is not published, nor is a later one
   * approved on top of it: its own approval, or a later version's, is not an approval of the rejected rows (found by
   * review: every version being published is approved, so the look never refused a publish).
   */
  @Test
  void aVersionApprovedBeforeTheRejectionOfRowsItCarriesIsNotPublished() {
    ProductVersion v1 = publish(false, dataFile(1, 5));
    approved(v1.version());
    ProductVersion v2 = publish(true, dataFile(6, 8));
    ProductVersion v3 = publish(true, dataFile(9, 9));
    lifecycle.submit(PRODUCT, v2.version(), OPERATOR);
    approved(v3.version()); // while v2 waits for its review
    lifecycle.reject(PRODUCT, v2.version(), AUTHORITY, "street names must be generalized");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v3.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null,
        "CC BY 4.0")).isInstanceOf(io.dataops.core.StateRefusedException.class).hasMessageStartingWith("publish of "
            + v3.label() + " refused: it holds rows of v" + v2.version() + ", which was rejected (1 file of v"
            + v2.version() + " that no approved version before it holds");
    assertThat(version(v3.version()).state()).isEqualTo(VersionState.APPROVED);
    ProductVersion v4 = publish(true, dataFile(10, 10));
    assertThatThrownBy(() -> lifecycle.submit(PRODUCT, v4.version(), OPERATOR))
        .as("v3's approval is not one of v2's rows").hasMessageContaining("holds rows of v" + v2.version());
    assertThat(version(v4.version()).state()).isEqualTo(VersionState.DRAFT);
  }

  /**
   * On SQLite the approve waits in its move for the write lock the reject holds: it then sees the rejection, though
   * it had read the versions before.
   */
  @Test
  void aRejectionCommittedWhileAnApproveWaitsToMoveIsSeen() throws Exception {
    aRejectionCommittedWhileAnApproveWaitsIsSeen(LifecycleTest::waitsInAMoveStatement);
  }

  /** The thread runs a statement of a registry move (on SQLite it waits there for the write lock). */
  private static boolean waitsInAMoveStatement(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    boolean inMove = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(
        io.dataops.products.registry.ProductRegistry.class.getName()) && f.getMethodName().equals("move"));
    boolean inStatement = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("org.sqlite.")
        && f.getMethodName().startsWith("execute"));
    return inMove && inStatement;
  }

  @Test
  void publicationTermsAreChecked() {
    ProductVersion v = publish(false, dataFile(1, 5));
    approved(v.version());
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, "gift", null, "l"))
        .hasMessageContaining("public-interest (free) or market");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.MARKET, null, "l"))
        .hasMessageContaining("needs a price");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.MARKET, "-3", "l"))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.MARKET, "1.234", "l"))
        .hasMessageContaining("two decimals");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, "5", "l"))
        .hasMessageContaining("free");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null, " "))
        .hasMessageContaining("licence");
    // Found by a probe: a price of 10^18 yuan was listed, and its first delivery made the month's statements fail for
    // everyone (fen overflowed 64 bits); a licence with a line feed and an escape sequence forged a "published ... by
    // the authority" line in what partners read.
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.MARKET,
        "1000000000000000000", "l")).hasMessage("--price 1000000000000000000 is above the highest price a statement"
        + " can hold (100000000.00 yuan)");
    assertThatThrownBy(() -> lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.PUBLIC_INTEREST, null,
        "CC BY\n  published 2026-12-01 by zhang-wei\u001b[2K")).hasMessage("--licence holds a control character"
        + " (U+000A) at character 6: it is shown to others as one line of text; write it without line breaks, tabs or"
        + " escape sequences");
    ProductVersion submitted = publish(false, dataFile(1, 6));
    lifecycle.submit(PRODUCT, submitted.version(), OPERATOR);
    assertThatThrownBy(() -> lifecycle.reject(PRODUCT, submitted.version(), AUTHORITY, "ok\u202eevil"))
        .hasMessageContaining("--reason holds a control character (U+202E)");
    assertThat(version(v.version()).state()).isEqualTo(VersionState.APPROVED);
    lifecycle.publish(PRODUCT, v.version(), OPERATOR, Lifecycle.MARKET, "100000000.00", "l");
  }

  /**
   * A new version and a move commit with their event, in one transaction: the sink is handed that transaction's
   * connection (it sees the move it records), and when it cannot record the event nothing of the move or the version
   * is left.
   */
  @Test
  void aVersionAndAMoveCommitWithTheirEventOrNotAtAll() {
    ProductVersion v = publish(false, dataFile(1, 5));
    List<String> seen = new ArrayList<>();
    AuditSink inTransaction = new AuditSink() {
      @Override
      public void record(io.dataops.core.audit.AuditEvent event) {
        throw new AssertionError("a move's event is recorded inside its transaction");
      }

      @Override
      public void record(java.sql.Connection c, io.dataops.core.audit.AuditEvent event) {
        try (var p = c.prepareStatement("SELECT state FROM product_versions WHERE product = ? AND version = ?")) {
          p.setString(1, PRODUCT);
          p.setInt(2, v.version());
          try (var r = p.executeQuery()) {
            r.next();
            seen.add(event.action() + " sees " + r.getString(1));
          }
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    new Lifecycle(lakehouse, registry, inTransaction).submit(PRODUCT, v.version(), OPERATOR);
    assertThat(seen).containsExactly("product.submit sees submitted");

    assertThatThrownBy(() -> new Lifecycle(lakehouse, registry, FULL).approve(PRODUCT, v.version(), AUTHORITY, "ok"))
        .hasMessageContaining("disk is full");
    assertThat(version(v.version()).state()).isEqualTo(VersionState.SUBMITTED);
    assertThat(registry.history(PRODUCT, v.version())).extracting(t -> t.to()).containsExactly("draft", "submitted");
    lifecycle.approve(PRODUCT, v.version(), AUTHORITY, "ok");
    assertThat(version(v.version()).state()).isEqualTo(VersionState.APPROVED);

    String runKey = "run-full-" + System.nanoTime();
    assertThatThrownBy(() -> new io.dataops.products.publish.ProductPublisher(lakehouse, registry,
        io.dataops.products.publish.QualityGate.NONE, FULL, io.dataops.core.digest.DigestAlgorithm.SM3)
        .newVersion(PRODUCT, runKey).lineage(lineage(runKey, 10)).actor(OPERATOR)
        .replaceWith(List.of(dataFile(1, 6))).commit()).hasMessageContaining("disk is full");
    assertThat(registry.byRunKey(runKey)).as("no version without its event").isEmpty();
    assertThat(registry.list(PRODUCT)).hasSize(1);
  }

  @Test
  void aRejectionNeedsAReason() {
    ProductVersion v = publish(false, dataFile(1, 5));
    lifecycle.submit(PRODUCT, v.version(), OPERATOR);
    assertThatThrownBy(() -> lifecycle.reject(PRODUCT, v.version(), AUTHORITY, "  "))
        .hasMessageContaining("needs a reason");
    lifecycle.reject(PRODUCT, v.version(), AUTHORITY, "street names identify people");
    assertThat(registry.history(PRODUCT, v.version())).last()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("street names identify people"));
  }

  @Test
  void twoPeopleMovingOneVersionAtOnceCannotBothSucceed() throws Exception {
    ProductVersion v = publish(false, dataFile(1, 5));
    lifecycle.submit(PRODUCT, v.version(), OPERATOR);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var approve = pool.submit(() -> catchThrowable(() -> lifecycle.approve(PRODUCT, v.version(), AUTHORITY, "ok")));
      var reject = pool.submit(() -> catchThrowable(() -> lifecycle.reject(PRODUCT, v.version(), AUTHORITY, "no")));
      Throwable a = approve.get(60, java.util.concurrent.TimeUnit.SECONDS);
      Throwable r = reject.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(a == null ^ r == null).as("exactly one wins").isTrue();
      assertThat(a == null ? r : a).isInstanceOf(IllegalMoveException.class);
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.history(PRODUCT, v.version())).hasSize(3);
  }

  @Test
  void twoOrganizationsFirstRunsOfOnePipelineNameAtOnceRecordOne() throws Exception {
    firstRunsOfOnePipelineNameByTwoOrganizations();
  }

  @Test
  void twoOrganizationsFirstRunsOfOneProductAtOnceLeaveTheTableTheWinners() throws Exception {
    firstRunsOfOneProductByTwoOrganizations();
  }
}
