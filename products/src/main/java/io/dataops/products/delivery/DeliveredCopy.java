package io.dataops.products.delivery;

import java.util.Map;

/**
 * A copy of a version that left the platform: one successful delivery ({@code product.deliver}) as the audit trail
 * recorded it. A destruction removes what the platform holds, never this copy; its certificate lists it and the
 * receiving organization is told to delete it.
 *
 * @param auditSeq the sequence number of the delivery's audit event (where to look it up)
 * @param at when it was delivered (UTC, ISO-8601)
 * @param organization the partner organization that received it
 * @param user who took it
 * @param via {@code deliver} (a CSV file), {@code presigned-url} (a CSV object fetched by URL) or {@code table show}
 *     (rows printed to the partner's screen)
 * @param sha256 of the CSV delivered; null for {@code table show}
 */
public record DeliveredCopy(long auditSeq, String at, String organization, String user, String via, long rows,
    long bytes, String sha256) {

  /**
   * The copy a delivery's audit event ({@link Delivery#event}) records. The event's details name no path on the
   * partner's machine (the platform never learns where the partner keeps the file), and a URL delivery's object is
   * the platform's own (removed with the version): neither is carried here.
   */
  public static DeliveredCopy of(long auditSeq, String at, String user, Map<String, Object> details) {
    Object sha = details.get("sha256");
    return new DeliveredCopy(auditSeq, at, String.valueOf(details.get("partner")), user,
        String.valueOf(details.get("via")), number(details.get("rows")), number(details.get("bytes")),
        sha == null ? null : sha.toString());
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
  }
}
