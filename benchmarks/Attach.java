import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a JVMTI agent into a running JVM with its options: benchmarks/profile.sh starts and stops async-profiler
 * through it ({@code jcmd JVMTI.agent_load} would split the options at their equals signs). The script compiles it
 * once before profiling and runs {@code java -cp <classes> Attach <pid> <agent library> <options>}.
 */
public class Attach {

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
