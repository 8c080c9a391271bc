package io.dataops.products.publish;

/**
 * Asked right before a version becomes visible (after its quality gate, before the staged snapshot is made the
 * table's): whether what the run read may still be used. A run reads under a grant checked when it starts; a grant
 * revoked or expired while it ran must not let it add a version afterwards. Throws (a refusal) when it may not.
 */
@FunctionalInterface
public interface PublishCheck {
  PublishCheck NONE = product -> { };

  void beforePublish(String product);
}
