// Headroom startup: the imports every notebook cell and jshell session starts with.
// Shared by the Jupyter kernel (kernel.json passes this file) and kernel-setup/jshell.sh.
// The JDK packages jshell's DEFAULT startup imports, so cells read the same in the kernel and in jshell.
import java.io.*;
import java.math.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.*;
import java.util.stream.*;
import dev.headroom.core.*;
import dev.headroom.dsl.*;
import static dev.headroom.dsl.Sizing.*;
import static dev.headroom.dsl.Plots.*;
import tech.tablesaw.api.*;
import tech.tablesaw.plotly.components.Figure;
