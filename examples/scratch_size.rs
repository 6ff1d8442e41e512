fn main() {
    println!("{}", std::mem::size_of::<malgrupp::model::TargetGroup>())
}
