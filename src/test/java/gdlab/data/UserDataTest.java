package gdlab.data;

import gdlab.spec.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDataTest {
    @TempDir
    Path tmp;

    Path csv(String text) throws IOException {
        return Files.writeString(tmp.resolve("data.csv"), text);
    }

    @Test
    void csvWithANamedLabelColumnAnywhere() throws IOException {
        Path f = csv("a,kind,b\n1,cat,2\n3,dog,4\n5,cat,6\n");
        Dataset d = Datasets.load("csv:" + f, "kind");
        assertThat(d.featureNames()).containsExactly("a", "b");
        assertThat(d.classNames()).containsExactly("cat", "dog");
        assertThat(d.features()[1]).containsExactly(3, 4);
        assertThat(d.labels()).containsExactly(0, 1, 0);
        assertThatThrownBy(() -> Datasets.load("csv:" + f, ""))   // the last column is the label by default
                .hasMessageEndingWith("line 2, column kind: not a finite number: 'cat'");
        Path numeric = Files.writeString(tmp.resolve("n.csv"), "a,b,c\n1,2,6\n3,4,2\n");
        Dataset last = Datasets.load("csv:" + numeric, "");
        assertThat(last.featureNames()).containsExactly("a", "b");
        assertThat(last.classNames()).containsExactly("2", "6");
    }

    @Test
    void csvErrorsNameTheProblem() throws IOException {
        assertThatThrownBy(() -> Datasets.load("csv:" + tmp.resolve("missing.csv"), ""))
                .isInstanceOf(BadInputException.class).hasMessageContaining("data file not found")
                .hasMessageContaining("missing.csv");
        Path f = csv("a,b,label\n1,2,x\n");
        assertThatThrownBy(() -> Datasets.load("csv:" + f, "species"))
                .hasMessageContaining("bad value 'species' for label").hasMessageContaining("allowed: a, b, label");
        Path nan = csv("a,b,label\n1,2,x\n1,NaN,y\n");
        assertThatThrownBy(() -> Datasets.load("csv:" + nan, ""))
                .hasMessageEndingWith("line 3, column b: not a finite number: 'NaN'");
        Path text = csv("a,b,label\n1,two,x\n");
        assertThatThrownBy(() -> Datasets.load("csv:" + text, ""))
                .hasMessageEndingWith("line 2, column b: not a finite number: 'two'");
        Path empty = csv("");
        assertThatThrownBy(() -> Datasets.load("csv:" + empty, "")).hasMessageContaining("empty file");
        Path headerOnly = csv("a,label\n");
        assertThatThrownBy(() -> Datasets.load("csv:" + headerOnly, "")).hasMessageContaining("no data rows");
    }

    /** A CSV of {@code labels.length} rows: two features and the given label column {@code column}. */
    Path labelled(String column, String... labels) throws IOException {
        StringBuilder text = new StringBuilder("a,b," + column + "\n");
        for (int i = 0; i < labels.length; i++) {
            text.append(i).append(',').append(i % 7).append(',').append(labels[i]).append('\n');
        }
        return Files.writeString(tmp.resolve(column + ".csv"), text);
    }

    @Test
    void aLabelColumnWithOneClassIsRefused() throws IOException {
        Path f = labelled("label", "0", "0", "0", "0");
        assertThatThrownBy(() -> Datasets.load("csv:" + f, "")).isInstanceOf(BadInputException.class)
                .hasMessage("csv:" + f + ": label column 'label' has one class ('0'); a classifier needs at least 2");
        Path images = write("img1", IdxFiles.idx(0x803, new int[]{3, 1, 2}, new byte[6]), false);
        Path labels = write("lab1", IdxFiles.idx(0x801, new int[]{3}, new byte[]{4, 4, 4}), false);
        String data = "idx:" + images + "+" + labels;
        assertThatThrownBy(() -> Datasets.load(data, "")).isInstanceOf(BadInputException.class)
                .hasMessage(data + ": labels file " + labels + " has one class ('4'); a classifier needs at least 2");
    }

    @Test
    void aContinuousLabelColumnIsRefusedForClassifiers() throws IOException {
        String[] y = new String[60];
        for (int i = 0; i < y.length; i++) {
            y[i] = String.valueOf(i < 57 ? i : 0.37);     // 57 distinct values, one of them not an integer
        }
        y[0] = "0.37";
        Path f = labelled("y", y);
        assertThatThrownBy(() -> Datasets.load("csv:" + f, "y")).isInstanceOf(BadInputException.class)
                .hasMessage("csv:" + f + ": label column 'y' looks continuous (57 distinct values in 60 rows, e.g. "
                        + "0.37): gdlab's experiments here are classifiers; give a column of class labels");
        // one fractional value is enough, however few distinct values there are
        Path few = labelled("price", "1", "2", "1.5", "2", "1", "2");
        assertThatThrownBy(() -> Datasets.load("csv:" + few, "")).hasMessageContaining("label column 'price' "
                + "looks continuous (3 distinct values in 6 rows, e.g. 1.5)");
        // integers, but more distinct values than max(20, 5% of the rows): a count or a measurement
        String[] ages = new String[30];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = String.valueOf(20 + i % 25);
        }
        Path many = labelled("age", ages);
        assertThatThrownBy(() -> Datasets.load("csv:" + many, "")).hasMessageContaining("label column 'age' "
                + "looks continuous (25 distinct values in 30 rows");
        // a regression caller can skip the rule
        assertThat(Datasets.read("csv:" + f, "y").numClasses()).isEqualTo(57);
    }

    @Test
    void classLabelsThatAreIntegralNumbersOrRepeatedStringsAreAccepted() throws IOException {
        assertThat(Datasets.load("csv:" + labelled("y", "1.0", "2.0", "1.0", "1e0"), "").numClasses()).isEqualTo(3);
        String[] names = new String[60];                  // 30 classes, 2 examples each: more than 20, yet classes
        for (int i = 0; i < names.length; i++) {
            names[i] = "class" + i / 2;
        }
        assertThat(Datasets.load("csv:" + labelled("kind", names), "").numClasses()).isEqualTo(30);
        String[] ids = new String[30];                    // 25 distinct names in 30 rows: names, not classes
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "person" + i % 25;
        }
        Path f = labelled("name", ids);
        assertThatThrownBy(() -> Datasets.load("csv:" + f, "")).isInstanceOf(BadInputException.class)
                .hasMessage("csv:" + f + ": label column 'name' does not look like class labels (25 distinct values "
                        + "in 30 rows, fewer than 2 examples per class, e.g. 'person0'): gdlab's experiments here are "
                        + "classifiers; give a column of class labels");
    }

    @Test
    void aBinaryFileIsNotReadAsACsv() throws IOException {
        Path elf = tmp.resolve("ls");
        Files.write(elf, new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xc3, (byte) 0x28, (byte) 0xff, 0});
        assertThatThrownBy(() -> Datasets.load("csv:" + elf, "")).isInstanceOf(BadInputException.class)
                .hasMessage("cannot read data file " + elf + ": not a UTF-8 text file (a CSV with a header row is "
                        + "expected)");
        Path ls = Path.of("/bin/ls");
        if (Files.isRegularFile(ls)) {
            assertThatThrownBy(() -> Datasets.load("csv:" + ls, ""))
                    .hasMessage("cannot read data file /bin/ls: not a UTF-8 text file (a CSV with a header row is "
                            + "expected)");
        }
    }

    @Test
    void emptyFeatureCellsAreNamedLikeNaNs() throws IOException {
        Path empty = csv("a,b,label\n1,2,x\n3,,y\n");
        assertThatThrownBy(() -> Datasets.load("csv:" + empty, "")).isInstanceOf(BadInputException.class)
                .hasMessageEndingWith("line 3, column b: not a finite number: ''");
    }

    @Test
    void idxImagesAndLabelsPlainOrGzip() throws IOException {
        byte[] pixels = {0, 1, 2, 3, (byte) 255, 5, 6, 7};       // two 2x2 images
        Path images = write("img.idx", IdxFiles.idx(0x803, new int[]{2, 2, 2}, pixels), false);
        Path labels = write("lab.idx.gz", IdxFiles.idx(0x801, new int[]{2}, new byte[]{7, 3}), true);
        Dataset d = Datasets.load("idx:" + images + "+" + labels, "");
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.featureNames()).containsExactly("pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1");
        assertThat(d.features()[1]).containsExactly(255, 5, 6, 7);
        assertThat(d.classNames()).containsExactly("3", "7");
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void idxHeaderAndSizeMismatchesAreClear() throws IOException {
        Path images = write("img", IdxFiles.idx(0x803, new int[]{2, 2, 2}, new byte[8]), false);
        Path threeLabels = write("lab3", IdxFiles.idx(0x801, new int[]{3}, new byte[3]), false);
        assertThatThrownBy(() -> Datasets.load("idx:" + images + "+" + threeLabels, ""))
                .isInstanceOf(BadInputException.class).hasMessageContaining("2 images but")
                .hasMessageContaining("3 labels");
        Path swapped = write("lab", IdxFiles.idx(0x801, new int[]{2}, new byte[2]), false);
        assertThatThrownBy(() -> Datasets.load("idx:" + swapped + "+" + images, ""))
                .hasMessageContaining("bad IDX header").hasMessageContaining("expected 0x00000803 (images)");
        Path truncated = write("short", IdxFiles.idx(0x803, new int[]{2, 2, 2}, new byte[5]), true);
        assertThatThrownBy(() -> Datasets.load("idx:" + truncated + "+" + swapped, ""))
                .hasMessageContaining("holds fewer");
    }

    /** {@link IdxFiles#write} into this test's folder. */
    Path write(String name, byte[] content, boolean gzip) throws IOException {
        return IdxFiles.write(tmp.resolve(name), content, gzip);
    }
}
