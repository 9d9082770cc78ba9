fn main() {
    xxgk::start();
}
