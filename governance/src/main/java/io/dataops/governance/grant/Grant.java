package io.dataops.governance.grant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario application and, once every party approved it, the grant it became: an operator may read these ods
 * tables (these columns, these rows) for this scenario, to make these products, until it expires.
 *
 * @param id the number people and commands use ({@code dataops grant show 3})
 * @param operator the organization that applied and holds the grant
 * @param applicant the user who applied
 * @param validFrom the start of the period's first day (China Standard Time)
 * @param expiresAt the end of the period's last day: the grant is not live from then on
 * @param stored the state as recorded; {@link #state(Instant)} is what it is at a given time
 */
public record Grant(long id, String scenario, String purpose, String operator, String applicant, List<String> products,
    Instant validFrom, Instant expiresAt, GrantState stored, Instant appliedAt, Instant decidedAt, Instant revokedAt,
    String revokedBy, String revokeReason, String applicationSha256, List<Resource> resources,
    List<Decision> decisions) {

  /** The party every application needs besides the owning departments. */
  public static final String AUTHORITY = "authority";

  public Grant {
    products = List.copyOf(products);
    resources = List.copyOf(resources);
    decisions = List.copyOf(decisions);
  }

  /**
   * One requested table: what the operator asked for, and what its department granted.
   *
   * @param grantedColumns the columns the department approved (null before it decided: the request stands)
   * @param departmentFilter a row filter the department added when approving (null: none)
   */
  public record Resource(String table, String department, List<String> requestedColumns, String requestedFilter,
      List<String> grantedColumns, String departmentFilter) {
    public Resource {
      requestedColumns = List.copyOf(requestedColumns);
      grantedColumns = grantedColumns == null ? null : List.copyOf(grantedColumns);
    }

    /** The columns the grant allows: as the department narrowed them, else as requested. */
    public List<String> columns() {
      return grantedColumns != null ? grantedColumns : requestedColumns;
    }

    /** The rows the grant allows: the applicant's filter and the department's, both; null when neither. */
    public String rowFilter() {
      return RowFilter.both(requestedFilter, departmentFilter);
    }
  }

  /**
   * A party's decision.
   *
   * @param party {@code authority}, or the id of a department owning requested tables
   * @param organization the organization of the user who decided
   */
  public record Decision(String party, String organization, boolean approved, String decidedBy, Instant decidedAt,
      String note) {}

  /** The state at {@code now}: an active grant past its period is expired. */
  public GrantState state(Instant now) {
    return stored == GrantState.ACTIVE && !now.isBefore(expiresAt) ? GrantState.EXPIRED : stored;
  }

  /** Live at {@code now}: active, its period begun and not over. */
  public boolean live(Instant now) {
    return stored == GrantState.ACTIVE && !now.isBefore(validFrom) && now.isBefore(expiresAt);
  }

  /** Every party that must approve: the authority, then each department owning a requested table. */
  public List<String> parties() {
    List<String> out = new ArrayList<>(List.of(AUTHORITY));
    resources.stream().map(Resource::department).distinct().sorted().forEach(out::add);
    return out;
  }

  /** The parties that have not decided yet. */
  public List<String> awaiting() {
    return parties().stream().filter(p -> decisions.stream().noneMatch(d -> d.party().equals(p))).toList();
  }

  public Resource resource(String table) {
    return resources.stream().filter(r -> r.table().equals(table)).findFirst().orElse(null);
  }

  public boolean involves(String department) {
    return resources.stream().anyMatch(r -> r.department().equals(department));
  }

  /** "grant 3 (企业用工分析)" for messages. */
  public String label() {
    return "grant " + id + " (" + scenario + ")";
  }
}
