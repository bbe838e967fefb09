// Headroom startup: the imports every notebook cell and jshell session starts with.
// Shared by the Jupyter kernel (kernel.json passes this file) and kernel-setup/jshell.sh.
import dev.headroom.core.*;
import dev.headroom.dsl.*;
import static dev.headroom.dsl.Sizing.*;
import static dev.headroom.dsl.Plots.*;
import tech.tablesaw.api.*;
import tech.tablesaw.plotly.components.Figure;
