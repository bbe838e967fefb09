// Headroom startup: the imports every notebook cell and jshell session starts with.
// Shared by the Jupyter kernel (kernel.json passes this file) and kernel-setup/jshell.sh.
// The JDK packages jshell's DEFAULT startup imports, so cells read the same in the kernel and in jshell.
import java.io.*;
import java.math.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;
// The DSL and the few core types a cell names; everything else is reached through them.
import dev.headroom.dsl.*;
import static dev.headroom.dsl.Sizing.*;
import static dev.headroom.dsl.Plots.*;
import dev.headroom.core.Estimate;
import tech.tablesaw.api.*;
import static tech.tablesaw.aggregate.AggregateFunctions.*;
import tech.tablesaw.plotly.components.Figure;
