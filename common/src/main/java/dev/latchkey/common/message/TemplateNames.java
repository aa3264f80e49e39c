package dev.latchkey.common.message;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import liqp.Template;
import liqp.org.antlr.v4.runtime.tree.ParseTreeWalker;
import liquid.parser.v4.LiquidParser;
import liquid.parser.v4.LiquidParserBaseListener;

import dev.latchkey.common.event.Channel;

/**
 * The checks on a parsed Liquid template that do not depend on the values it is rendered with, so they hold in every
 * branch, taken or not: it includes no other template, and every variable it reads is one {@link TemplateVariables}
 * provides or one it sets itself ({@code assign}, {@code capture}, a loop's variable, {@code increment}). A name that
 * does not exist is refused here instead of rendering empty, wherever it is — that is the strict-variables rule.
 */
final class TemplateNames {

    private static final Set<String> BUILT_IN = Set.of("forloop", "tablerowloop");
    private static final Set<String> COUNTER_TAGS = Set.of("increment", "decrement");

    private TemplateNames() {
    }

    /** What is wrong with the template for a message of this channel, if anything. */
    static Optional<String> problem(Template template, Channel channel) {
        Collector c = new Collector();
        ParseTreeWalker.DEFAULT.walk(c, template.getParseTree());
        if (c.includes) {
            return Optional.of("include is not supported in message templates");
        }
        Set<String> allowed = new HashSet<>(TemplateVariables.names(channel));
        allowed.addAll(c.defined);
        allowed.addAll(BUILT_IN);
        Set<String> unknown = new TreeSet<>();
        for (String name : c.read) {
            String root = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            if (!allowed.contains(root)) {
                unknown.add(root);
            } else if (name.startsWith("application.") && !c.defined.contains("application")
                    && !TemplateVariables.applicationKeys().contains(name.substring("application.".length()))) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("no variable named " + String.join(", ", unknown) + " (a " + channel.wire()
                + " template has " + String.join(", ", new TreeSet<>(TemplateVariables.names(channel)))
                + ", application.name)");
    }

    /** Collects what the template sets and reads; {@code read} holds a root, or a root and its first key. */
    private static final class Collector extends LiquidParserBaseListener {

        final Set<String> defined = new HashSet<>();
        final Set<String> read = new HashSet<>();
        boolean includes;

        @Override
        public void enterAssignment(LiquidParser.AssignmentContext ctx) {
            defined.add(ctx.id().getText());
        }

        @Override
        public void enterCapture_tag_Id(LiquidParser.Capture_tag_IdContext ctx) {
            defined.add(ctx.id().getText());
        }

        @Override
        public void enterFor_array(LiquidParser.For_arrayContext ctx) {
            defined.add(ctx.id().getText());
        }

        @Override
        public void enterFor_range(LiquidParser.For_rangeContext ctx) {
            defined.add(ctx.id().getText());
        }

        @Override
        public void enterTable_tag(LiquidParser.Table_tagContext ctx) {
            defined.add(ctx.id().getText());
        }

        @Override
        public void enterSimple_tag(LiquidParser.Simple_tagContext ctx) {
            String tag = ctx.SimpleTagId().getText().toLowerCase(Locale.ROOT);
            if (COUNTER_TAGS.contains(tag) && ctx.other_tag_parameters() != null) {
                defined.add(ctx.other_tag_parameters().getText().strip());
            }
        }

        @Override
        public void enterInclude_tag(LiquidParser.Include_tagContext ctx) {
            includes = true;
        }

        @Override
        public void enterInclude_relative_tag(LiquidParser.Include_relative_tagContext ctx) {
            includes = true;
        }

        @Override
        public void enterLookup_id_indexes(LiquidParser.Lookup_id_indexesContext ctx) {
            String root = ctx.id().getText();
            var indexes = ctx.index();
            if (!indexes.isEmpty() && indexes.get(0).id2() != null) {
                read.add(root + "." + indexes.get(0).id2().getText());
            } else {
                read.add(root);
            }
        }

        @Override
        public void enterLookup_Str(LiquidParser.Lookup_StrContext ctx) {
            String quoted = ctx.Str().getText();
            read.add(quoted.substring(1, quoted.length() - 1));
        }

        @Override
        public void enterLookup_Id(LiquidParser.Lookup_IdContext ctx) {
            read.add(ctx.Id().getText());
        }
    }
}
