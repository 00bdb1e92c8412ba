package io.latentnlp.training.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG line chart of named series (JFreeChart, headless), for the plots in the docs: every image
 * there is drawn by this code from measured numbers. Build it with {@link #add}, then {@link #write}.
 * Not thread-safe.
 */
public final class LineChart {

    /** 16 distinguishable colours (Tableau 10 and darker/lighter companions), so 15 Brown genres get their own. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0x7f7f7f), new Color(0x17becf), new Color(0xbcbd22), new Color(0xe377c2), new Color(0x000000),
        new Color(0x393b79), new Color(0x637939), new Color(0xad494a), new Color(0x6baed6), new Color(0xfdae6b)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, XYSeries> series = new LinkedHashMap<>();
    private Double xTick;
    private boolean lines = true;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds the point (x, y) to the series {@code name} (created on first use, drawn in order). */
    public LineChart add(String name, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("series " + name + ": point (" + x + ", " + y + ") is not finite");
        }
        series.computeIfAbsent(name, n -> new XYSeries(n, lines, !lines)).add(x, y);
        return this;
    }

    /** Fixed spacing of the x-axis ticks (default: automatic). */
    public LineChart xTick(double tick) {
        this.xTick = tick;
        return this;
    }

    /** Points only, no connecting lines (a scatter plot). */
    public LineChart scatter() {
        this.lines = false;
        return this;
    }

    /** The series names, in drawing order. */
    public List<String> seriesNames() {
        return new ArrayList<>(series.keySet());
    }

    /** Renders the chart as a PNG of the given size (parent directories are created). */
    public void write(Path png, int width, int height) throws IOException {
        if (series.isEmpty()) {
            throw new IllegalStateException("chart '" + title + "' has no data");
        }
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(lines, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            if (!lines) {
                renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
            }
        }
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        if (xTick != null) {
            x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(xTick));
        }
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        if (png.toAbsolutePath().getParent() != null) {
            Files.createDirectories(png.toAbsolutePath().getParent());
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }
}
