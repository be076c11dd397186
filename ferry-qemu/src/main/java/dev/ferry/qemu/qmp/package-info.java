/**
 * A small client for QEMU's machine protocol (QMP) over a unix-domain socket.
 *
 * <p>{@link dev.ferry.qemu.qmp.QmpClient} is the entry point: it connects (waiting for a QEMU that is
 * still starting), negotiates capabilities, runs commands with per-command timeouts and delivers
 * events to listeners. Every failure is a {@link dev.ferry.api.error.FerryException} subclass with a
 * message that reads on its own: {@link dev.ferry.qemu.qmp.QmpCommandException} (QEMU said no),
 * {@link dev.ferry.qemu.qmp.QmpTimeoutException}, {@link dev.ferry.qemu.qmp.QmpDisconnectedException}
 * and {@link dev.ferry.qemu.qmp.QmpProtocolException}.
 */
package dev.ferry.qemu.qmp;
