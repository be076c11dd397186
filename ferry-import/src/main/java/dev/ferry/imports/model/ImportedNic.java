package dev.ferry.imports.model;

/**
 * One network adapter of a source VM, in the source's terms: the adapter model as the source
 * names it (e.g. {@code vmxnet3}, {@code 82540EM}, {@code E1000e}, {@code synthetic}), the MAC
 * address if the source has one, and the source's network name (port group, switch, bridge).
 */
public record ImportedNic(String model, String mac, String network) {}
