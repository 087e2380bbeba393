package dev.hypr.cli.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The project flags of one {@code hyprctl compose} run, merged from before and after the command. */
public record ProjectFlags(List<Path> files, String projectName, List<String> profiles, List<Path> envFiles,
        Path projectDirectory) {
    public ProjectFlags {
        files = List.copyOf(files);
        profiles = List.copyOf(profiles);
        envFiles = List.copyOf(envFiles);
    }

    /** These flags (given after the command) over {@code outer} (given before it): single values win, lists add up. */
    public ProjectFlags over(ProjectFlags outer) {
        List<Path> f = new ArrayList<>(outer.files());
        f.addAll(files);
        List<String> p = new ArrayList<>(outer.profiles());
        p.addAll(profiles);
        List<Path> e = new ArrayList<>(outer.envFiles());
        e.addAll(envFiles);
        return new ProjectFlags(f, projectName != null ? projectName : outer.projectName(), p, e,
                projectDirectory != null ? projectDirectory : outer.projectDirectory());
    }
}
