"""Module 13's convolutional network, trained as its notebook trains it, reads at least 98% of the
test digits: the reference's layers, network and trainer, run from the module's own cells."""

from autograder.authoring import course

MODULE = "13_cnn_applications"


def test_the_convolutional_network_reaches_98_percent():
    ns = course.exec_cells(
        course.library_sources(course.read(MODULE)), MODULE, kinds=("lib", "solution")
    )
    X_train, X_test, y_train, y_test = ns["load_digit_images"]()
    model = ns["ThreeLayerConvNet"](**ns["CNN_CONFIG"])
    history = ns["train"](
        model, X_train, y_train, X_test, y_test, progress=False, **ns["TRAIN_CONFIG"]
    )
    accuracy = ns["accuracy"](model, X_test, y_test)
    assert accuracy >= 0.98, f"test accuracy {accuracy:.3f}, below the notebook's 98%"
    assert history["val_acc"][-1] == accuracy
    assert history["loss"][-1] < history["loss"][0], "the training loss should fall"
