package io.dataops.products.registry;

/** One recorded move of a version: who moved it from which state to which, when and why. */
public record TransitionRecord(String product, int version, String from, String to, String actor, String organization,
    String role, String at, String reason) {}
