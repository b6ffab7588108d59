package peft4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import com.google.inject.name.Named;
import java.io.PrintWriter;
import peft4j.api.Progress;
import peft4j.backbone.models.ModelStore;
import peft4j.data.DatasetStore;

/** What most commands are wired with, in one injectable bundle. */
final class Services {

    final PrintWriter out;
    final ModelStore models;
    final DatasetStore datasets;
    final Progress.Factory progress;
    final ObjectMapper json;

    @Inject
    Services(@Named("out") PrintWriter out, ModelStore models, DatasetStore datasets, Progress.Factory progress,
            ObjectMapper json) {
        this.out = out;
        this.models = models;
        this.datasets = datasets;
        this.progress = progress;
        this.json = json;
    }
}
