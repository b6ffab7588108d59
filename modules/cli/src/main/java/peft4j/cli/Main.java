package peft4j.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintWriter;
import peft4j.api.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code peft4j} command. */
@Command(name = "peft4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Parameter-efficient adaptation (prompt tuning and friends) of frozen language models.",
        subcommands = {DemoCommand.class, MethodsCommand.class, ModelsCommand.class, DatasetsCommand.class,
                FillMaskCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, BenchCommand.class,
                VerifyModelCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code of a problem the user can fix (bad input, missing file): one line on stderr, no stack trace. */
    static final int USER_ERROR = 2;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command (see 'peft4j --help')");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; used by tests as well as by {@link #main}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // Guice's generated fast classes live in an unnamed module and cannot reach a named one: use reflection.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        Injector injector = Guice.createInjector(new CliModule(out, err));
        CommandLine commandLine = new CommandLine(Main.class, new GuiceFactory(injector));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable cause = rootUserError(e);
            if (cause instanceof UserError) {
                err.println("peft4j: error: " + cause.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
        commandLine.setParameterExceptionHandler((e, parsedArgs) -> {
            err.println("peft4j: error: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec()
                    .qualifiedName() + " --help')");
            return USER_ERROR;
        });
        return commandLine.execute(args);
    }

    /** A UserError anywhere in the cause chain (engines and libraries wrap them). */
    private static Throwable rootUserError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserError) {
                return t;
            }
        }
        return e;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"peft4j " + (version == null ? "(development build)" : version)};
        }
    }
}
