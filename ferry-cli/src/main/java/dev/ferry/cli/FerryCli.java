package dev.ferry.cli;

import dev.ferry.api.error.ExitCodes;
import dev.ferry.api.error.FerryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single {@code ferry} binary: controller, agent and every CLI verb are subcommands of this one
 * entry point. Errors end here: a {@link FerryException} prints one line naming the error code and
 * exits with the catalogue's exit code; anything unexpected prints one line too (the stack trace
 * only with FERRY_DEBUG=1). Usage errors exit 2.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = FerryCli.Version.class,
        description = "Moves virtual machines between KVM/QEMU hosts.",
        subcommands = {ServerCommand.class, AgentCommand.class, PkiCommand.class, HostCommand.class, VmCommand.class,
                MigrationCommand.class, AssessCommand.class, ImportCommand.class, ExportCommand.class, PlanCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class FerryCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new FerryCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e));
        cl.setParameterExceptionHandler((e, args2) -> {
            System.err.println("error: " + e.getMessage() + " [INVALID_ARGUMENT]");
            System.err.println("try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    static int report(Exception e) {
        if (System.getenv("FERRY_DEBUG") != null) e.printStackTrace();
        if (e instanceof FerryException fe) {
            System.err.println("error: " + fe.getMessage() + " [" + fe.code().name() + "]");
            return fe.code().exitCode();
        }
        System.err.println("error: unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        return ExitCodes.FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FerryCli.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (v == null ? "dev" : v)};
        }
    }
}
