"""What the page calls the things in its images, per data set: "digit" or "item", the class
names with their articles ("a 7", "an 8", "a T-shirt", "an ankle boot", "a pair of trousers"),
and the plain words for the real images and the judge. Pure (no Streamlit): every sentence
that names the data set's things takes them from here, so the words follow the data set.
"""

import functools
from dataclasses import dataclass

from model.data import dataset_info

# Class names that take no plain "a"/"an": the vowel sound decides, not the letter.
ARTICLES = {"8": "an", "trousers": "a pair of", "T-shirt": "a"}
# What the real images are, in a student's words, and what the judge was trained on.
REAL = {"mnist": "real handwritten digits", "fashion-mnist": "real photos of clothes, shoes and bags"}


def article(name):
    """'a' or 'an' (or 'a pair of') for a noun or class name, by its sound."""
    if name in ARTICLES:
        return ARTICLES[name]
    return "an" if name[:1].lower() in "aeiou" else "a"


@dataclass(frozen=True)
class Nouns:
    dataset: str
    item: str  # one image's thing: "digit", "item"
    classes: tuple  # the ten class names, in label order
    real: str  # "real handwritten digits"
    title: str  # "MNIST digits"

    @property
    def items(self):
        return f"{self.item}s"

    @property
    def an_item(self):
        """'a digit', 'an item'."""
        return f"{article(self.item)} {self.item}"

    @property
    def Item(self):  # noqa: N802 - the capitalised word, as a sentence starts
        return self.item.capitalize()

    @property
    def is_digits(self):
        return self.dataset == "mnist"

    def name(self, label):
        """The class name of label: '7', 'T-shirt'."""
        return self.classes[int(label)]

    def a(self, label, bold=False):
        """The class with its article: 'a 7', 'an 8', 'an ankle boot', 'a pair of trousers' (bold: the name in **)."""
        name = self.name(label)
        return f"{article(name)} **{name}**" if bold else f"{article(name)} {name}"

    def class_list(self, labels):
        """'1, 7 and 9' / 'T-shirt, bag and sneaker'."""
        names = [self.name(label) for label in labels]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "none"

    def kinds(self, count):
        """'3 different digits' / '1 different item'."""
        return f"{count} different {self.item}{'s' * (count != 1)}"


@functools.cache
def nouns(dataset):
    """The Nouns of a data set (a key of model.data.DATASETS)."""
    info = dataset_info(dataset)
    return Nouns(dataset=info.name, item=info.item, classes=tuple(info.classes), real=REAL[info.name],
                 title=info.title)
