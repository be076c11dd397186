package dev.ferry.api.assess;

/**
 * How much a {@link Finding} matters. A {@code BLOCKER} means the move must not be attempted (a
 * migration or a plan containing it is refused before anything is touched); a {@code WARNING}
 * means it can go ahead but the operator should know (e.g. host-passthrough CPU, an older QEMU on
 * the destination); {@code INFO} records what was checked and found fine.
 */
public enum Severity { BLOCKER, WARNING, INFO }
