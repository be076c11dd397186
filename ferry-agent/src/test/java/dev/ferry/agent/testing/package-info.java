/**
 * Reusable test fixtures for anything that needs a real agent and a real guest, shipped to other
 * modules' tests in ferry-agent's test-jar (the way OkHttp ships MockWebServer):
 *
 * <ul>
 *   <li>{@link dev.ferry.agent.testing.TestGuest}: the test guest of {@code guest/} (built once per
 *       JVM), raw data disks, and a {@link dev.ferry.api.spec.VmSpec} that boots it;
 *   <li>{@link dev.ferry.agent.testing.TestPki}: a cluster CA with host and client identities, and a
 *       foreign CA's client for refusal tests;
 *   <li>{@link dev.ferry.agent.testing.TestAgent}: an in-process {@link dev.ferry.agent.FerryAgent}
 *       on a free loopback port with its own state directory and storage pool; closing it kills
 *       every QEMU it started;
 *   <li>{@link dev.ferry.agent.testing.SerialLog}: waits for the guest's console lines.
 * </ul>
 *
 * <pre>{@code
 * try (TestAgent agent = TestAgent.start()) {
 *     Path disk = TestGuest.createRawDisk(agent.poolDir(), "data.img", 64);
 *     agent.client().define(TestGuest.spec("vm1", 128, "ferry.mem=32 ferry.disk=vda", disk));
 *     agent.client().start("vm1");
 *     agent.serialLog("vm1").awaitLine("^FERRY-GUEST-READY ", Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * Every directory comes from {@link dev.ferry.agent.testing.TestDirs}, under {@code $FERRY_TEST_TMP}
 * when set (scripts/test.sh sets it, so it can reap anything a crashed JVM left behind).
 */
package dev.ferry.agent.testing;
