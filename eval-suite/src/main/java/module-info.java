/** peft4j.eval: experiment grids, metrics, charts and reports over the discovered methods (empty for now). */
module peft4j.eval {
    requires peft4j.api;

    uses peft4j.api.AdaptationMethod;
}
