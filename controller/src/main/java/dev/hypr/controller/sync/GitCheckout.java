package dev.hypr.controller.sync;

import dev.hypr.api.model.GitSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A Sync's private clone of its repository under $HYPR_HOME/cache/sync/NAME: fetched each pass,
 * then hard-reset to the commit {@code ref} names, so the working tree is exactly that commit.
 * The clone is hyprd's cache; nothing is ever pushed.
 */
final class GitCheckout {
    private static final List<RefSpec> FETCH = List.of(
            new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

    /** The directory to read and the commit it holds. */
    record Checkout(Path directory, String commit) {
    }

    private GitCheckout() {
    }

    static Checkout update(Path cacheDirectory, GitSource source) throws IOException, GitAPIException {
        try (Git git = openOrClone(cacheDirectory, source.url())) {
            git.fetch().setRemote("origin").setRefSpecs(FETCH).setRemoveDeletedRefs(true).call();
            String ref = source.ref() == null || source.ref().isEmpty() ? "main" : source.ref();
            ObjectId commit = resolve(git.getRepository(), ref);
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
            // Files nobody committed (left by a hand edit of the cache) must not be read as source.
            git.clean().setCleanDirectories(true).setForce(true).setIgnore(false).call();
            return new Checkout(inside(cacheDirectory, source.path()), commit.name());
        }
    }

    private static Git openOrClone(Path directory, String url) throws IOException, GitAPIException {
        if (Files.isDirectory(directory.resolve(".git"))) {
            Git git = Git.open(directory.toFile());
            if (url.equals(git.getRepository().getConfig().getString("remote", "origin", "url"))) {
                return git;
            }
            git.close(); // the spec now names another repository: start over
        }
        deleteRecursively(directory);
        Files.createDirectories(directory.getParent());
        return Git.cloneRepository().setURI(url).setDirectory(directory.toFile()).setNoCheckout(true).call();
    }

    /** A branch (as fetched from origin), a tag, or a commit id. */
    private static ObjectId resolve(Repository repo, String ref) throws IOException {
        for (String candidate : new String[] {"refs/remotes/origin/" + ref, "refs/tags/" + ref, ref}) {
            ObjectId id = repo.resolve(candidate + "^{commit}");
            if (id != null) {
                return id;
            }
        }
        throw new IOException("ref \"" + ref + "\" is neither a branch, a tag nor a commit of the repository");
    }

    private static Path inside(Path root, String path) throws IOException {
        Path dir = root.resolve(path == null || path.isEmpty() ? "." : path).normalize();
        if (!dir.startsWith(root.normalize())) {
            throw new IOException("source.git.path \"" + path + "\" leaves the repository");
        }
        return dir;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
