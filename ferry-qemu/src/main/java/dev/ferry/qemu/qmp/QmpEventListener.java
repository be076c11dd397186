package dev.ferry.qemu.qmp;

/**
 * Receives QMP events. Listeners run one at a time, in arrival order, on the client's event thread:
 * a slow listener delays later events but never command replies, so a listener may itself call
 * {@link QmpClient#execute}. Exceptions it throws are logged and otherwise ignored.
 */
@FunctionalInterface
public interface QmpEventListener {
    void onEvent(QmpEvent event);
}
