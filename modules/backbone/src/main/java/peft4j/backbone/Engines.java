package peft4j.backbone;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import peft4j.api.UserError;

/**
 * Chooses the DJL engine and device by the names users type. PyTorch is the default; with both engines on the path
 * DJL itself would pick MXNet, so peft4j always names the engine.
 */
public final class Engines {

    public static final String DEFAULT = "pytorch";

    private static final Map<String, String> DJL_NAMES = Map.of("pytorch", "PyTorch", "mxnet", "MXNet");

    static {
        // DJL's PyTorch engine runs one intra-op thread unless told otherwise: use every core (measured 1.7x on 2).
        setIfAbsent("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private Engines() {
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public static List<String> names() {
        return List.of("pytorch", "mxnet");
    }

    public static Engine get(String name) {
        String djlName = DJL_NAMES.get(name.toLowerCase(Locale.ROOT));
        if (djlName == null) {
            throw new UserError("unknown engine '" + name + "'; choose one of: " + String.join(", ", names()));
        }
        if (!Engine.getAllEngines().contains(djlName)) {
            throw new UserError("the " + name + " engine is not on the class path; rebuild peft4j (mvn install)");
        }
        try {
            return Engine.getEngine(djlName);
        } catch (RuntimeException e) {
            throw new UserError("the " + name + " engine failed to start: " + e.getMessage(), e);
        }
    }

    /** {@code auto} = the first GPU when the engine sees one, else the CPU. */
    public static Device device(Engine engine, String device) {
        return switch (device.toLowerCase(Locale.ROOT)) {
            case "auto" -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new UserError("--device gpu: the " + engine.getEngineName() + " engine sees no GPU; use "
                            + "--device cpu");
                }
                yield Device.gpu();
            }
            default -> throw new UserError("unknown device '" + device + "'; choose auto, cpu or gpu");
        };
    }

    /** A root manager on the named engine and device. */
    public static NDManager newManager(String engineName, String deviceName) {
        Engine engine = get(engineName);
        return engine.newBaseManager(device(engine, deviceName));
    }
}
