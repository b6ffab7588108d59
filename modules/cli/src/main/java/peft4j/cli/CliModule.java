package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import peft4j.api.Progress;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;

/** What the commands are wired with: output streams, the model store, progress bars, JSON. */
final class CliModule extends AbstractModule {

    private final PrintWriter out;
    private final PrintWriter err;

    CliModule(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Provides
    @Named("out")
    PrintWriter out() {
        return out;
    }

    @Provides
    @Named("err")
    PrintWriter err() {
        return err;
    }

    @Provides
    @Singleton
    ModelStore modelStore() {
        return ModelStore.fromEnvironment();
    }

    @Provides
    @Singleton
    DatasetStore datasetStore() {
        return DatasetStore.fromEnvironment();
    }

    @Provides
    @Singleton
    Progress.Factory progress() {
        return new TerminalProgress();
    }

    @Provides
    @Singleton
    ObjectMapper json() {
        return new ObjectMapper();
    }
}
