package peft4j.backbone.verify;

import java.util.List;

/**
 * What one golden check did with the tensors of a reference file.
 *
 * @param compared  one comparison per reference tensor the check computed
 * @param inputs    the tensors it fed to the model (ids, masks, labels, prompts, prefixes)
 * @param unchecked the tensors it neither used nor compared, because no rule knows their names
 */
public record Verification(List<TensorComparison> compared, List<String> inputs, List<String> unchecked) {

    public boolean ok() {
        return compared.stream().allMatch(TensorComparison::ok);
    }
}
