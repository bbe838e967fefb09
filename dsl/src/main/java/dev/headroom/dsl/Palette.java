package dev.headroom.dsl;

/** Series colours (plotly's own default order), set explicitly where two traces of one series must match. */
final class Palette {
    static final String[] COLORS = {"#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880",
            "#ff97ff", "#fecb52"};

    private Palette() {}
}
