/** peft4j.eval: experiment comparisons, charts (XChart) and reports over the discovered methods. */
module peft4j.eval {
    requires peft4j.api;
    requires org.knowm.xchart;
    requires java.desktop;

    exports peft4j.eval;

    uses peft4j.api.AdaptationMethod;
}
