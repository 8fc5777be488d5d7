package gdlab.data;

import gdlab.spec.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

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

    static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(body);
        return bytes.toByteArray();
    }

    Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void idxImagesAndLabelsPlainOrGzip() throws IOException {
        byte[] pixels = {0, 1, 2, 3, (byte) 255, 5, 6, 7};       // two 2x2 images
        Path images = write("img.idx", idx(0x803, new int[]{2, 2, 2}, pixels), false);
        Path labels = write("lab.idx.gz", idx(0x801, new int[]{2}, new byte[]{7, 3}), true);
        Dataset d = Datasets.load("idx:" + images + "," + labels, "");
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.featureNames()).containsExactly("pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1");
        assertThat(d.features()[1]).containsExactly(255, 5, 6, 7);
        assertThat(d.classNames()).containsExactly("3", "7");
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void idxHeaderAndSizeMismatchesAreClear() throws IOException {
        Path images = write("img", idx(0x803, new int[]{2, 2, 2}, new byte[8]), false);
        Path threeLabels = write("lab3", idx(0x801, new int[]{3}, new byte[3]), false);
        assertThatThrownBy(() -> Datasets.load("idx:" + images + "," + threeLabels, ""))
                .isInstanceOf(BadInputException.class).hasMessageContaining("2 images but")
                .hasMessageContaining("3 labels");
        Path swapped = write("lab", idx(0x801, new int[]{2}, new byte[2]), false);
        assertThatThrownBy(() -> Datasets.load("idx:" + swapped + "," + images, ""))
                .hasMessageContaining("bad IDX header").hasMessageContaining("expected 0x00000803 (images)");
        Path truncated = write("short", idx(0x803, new int[]{2, 2, 2}, new byte[5]), true);
        assertThatThrownBy(() -> Datasets.load("idx:" + truncated + "," + swapped, ""))
                .hasMessageContaining("holds fewer");
    }
}
