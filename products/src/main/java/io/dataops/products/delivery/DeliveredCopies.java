package io.dataops.products.delivery;

import java.util.List;

/**
 * Where the deliveries of a version are recorded (the platform reads them from its audit trail, which this module
 * does not know): every successful {@link Delivery#ACTION} of the version, oldest first.
 */
public interface DeliveredCopies {

  /** Nothing looked up: a destruction run outside the platform (a unit of this module) cannot say what left it. */
  DeliveredCopies NOT_LOOKED_UP = new DeliveredCopies() {
    @Override
    public String source() {
      return null;
    }

    @Override
    public List<DeliveredCopy> of(String product, int version) {
      return List.of();
    }
  };

  /** What was read, as a certificate names it ("the audit trail: product.deliver events"); null: nothing read. */
  String source();

  List<DeliveredCopy> of(String product, int version);
}
